package org.arbiter.core.qos;


/**
 * A Flow-Description (TS 29.214 §5.3.8): an RFC 6733 §4.3.1 IPFilterRule restricted to
 * {@code permit in|out <proto> from <src> [ports] to <dst> [ports]}. "out" is the downlink, towards
 * the UE (so its destination is the UE); "in" is the uplink, from the UE.
 *
 * @param direction the direction the rule lets through
 * @param protocol {@code ip} or a protocol number
 * @param source the source address ({@code null} for {@code any}), without mask
 * @param destination the destination address ({@code null} for {@code any}), without mask
 */
record FlowDescription(Direction direction, String protocol, String source, String destination) {

    /** The parse outcome: a rule or the reason it was refused. */
    record Parsed(FlowDescription rule, String error) {}

    /** The UE's address in the rule: the destination of a downlink rule, the source of an uplink rule. */
    String ueAddress() {
        return direction == Direction.DOWNLINK ? destination : source;
    }

    /** The other end's address. */
    String peerAddress() {
        return direction == Direction.DOWNLINK ? source : destination;
    }

    static Parsed parse(String text) {
        Words t = Words.of(text);
        if (t.size() < 7) {
            return error(text, "expected 'permit in|out <proto> from <address> [ports] to <address> [ports]'");
        }
        if (!t.is(0, "permit")) {
            return error(text, "the action must be 'permit' (TS 29.214 §5.3.8), found '" + t.get(0) + "'");
        }
        Direction dir = t.is(1, "in") ? Direction.UPLINK : t.is(1, "out") ? Direction.DOWNLINK : null;
        if (dir == null) {
            return error(text, "the direction must be 'in' or 'out', found '" + t.get(1) + "'");
        }
        String proto = protocol(text, t.start(2), t.end(2));
        if (proto == null) {
            return error(text, "the protocol must be 'ip' or a number 0..255, found '" + t.get(2) + "'");
        }
        if (!t.is(3, "from")) {
            return error(text, "expected 'from' after the protocol, found '" + t.get(3) + "'");
        }
        int i = 4;
        String src = address(text, t.start(i), t.end(i));
        i++;
        if (src == null) {
            return error(text, "the source '" + t.get(4) + "' is not an address, 'any' or 'assigned'");
        }
        if (i < t.size() && !t.is(i, "to")) {
            if (!t.ports(i)) {
                return error(text, "the source ports '" + t.get(i) + "' are not a port list");
            }
            i++;
        }
        if (i >= t.size() || !t.is(i, "to")) {
            return error(text, "expected 'to' after the source");
        }
        i++;
        if (i >= t.size()) {
            return error(text, "no destination after 'to'");
        }
        String dst = address(text, t.start(i), t.end(i));
        if (dst == null) {
            return error(text, "the destination '" + t.get(i) + "' is not an address, 'any' or 'assigned'");
        }
        if (i + 1 < t.size() && !t.ports(i + 1) && Character.isDigit(text.charAt(t.start(i + 1)))) {
            return error(text, "the destination ports '" + t.get(i + 1) + "' are not a port list");
        }
        return new Parsed(new FlowDescription(dir, proto, src.isEmpty() ? null : src, dst.isEmpty() ? null : dst), null);
    }

    /**
     * The words of a rule as {@link #tokens} finds them, kept as places in the text: a rule has a
     * dozen words and only the protocol and the addresses are needed as strings.
     *
     * @param text the rule
     * @param bounds the start and the end of each word, in pairs
     */
    private record Words(String text, int[] bounds) {

        static Words of(String text) {
            int start = 0;
            int end = text.length();
            while (start < end && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            int count = 0;
            for (int i = start; i < end; i++) {
                if (!separator(text.charAt(i)) && (i == start || separator(text.charAt(i - 1)))) {
                    count++;
                }
            }
            int[] bounds = new int[2 * count];
            int n = 0;
            int from = start;
            for (int i = start; i < end; i++) {
                if (separator(text.charAt(i))) {
                    if (from < i) {
                        bounds[n++] = from;
                        bounds[n++] = i;
                    }
                    from = i + 1;
                }
            }
            if (from < end) {
                bounds[n++] = from;
                bounds[n] = end;
            }
            return new Words(text, bounds);
        }

        int size() {
            return bounds.length / 2;
        }

        int start(int k) {
            return bounds[2 * k];
        }

        int end(int k) {
            return bounds[2 * k + 1];
        }

        String get(int k) {
            return text.substring(start(k), end(k));
        }

        /** True when word {@code k} is {@code word}. */
        boolean is(int k, String word) {
            return FlowDescription.is(text, start(k), end(k), word);
        }

        /** True when word {@code k} is a port list. */
        boolean ports(int k) {
            return FlowDescription.ports(text, start(k), end(k));
        }
    }

    /**
     * The words of a rule: separated by runs of white space as {@code \s} matches it (space, tab,
     * LF, VT, FF, CR); white space at either end ignored, as {@link String#strip()} ignores it. A
     * blank rule has no word.
     */
    static String[] tokens(String text) {
        Words w = Words.of(text);
        String[] out = new String[w.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = w.get(k);
        }
        return out;
    }

    /** Space, or one of TAB, LF, VT, FF and CR (U+0009..U+000D). */
    private static boolean separator(char c) {
        return c <= ' ' && (c == ' ' || (c >= '\t' && c <= '\r'));
    }

    /** The protocol numbers 0..255 as written without leading zeros. */
    private static final String[] PROTOCOLS = new String[256];

    static {
        for (int i = 0; i < PROTOCOLS.length; i++) {
            PROTOCOLS[i] = Integer.toString(i);
        }
    }

    /**
     * The word {@code text.substring(from, to)} lower-cased (Locale.ROOT) when it is {@code ip} or
     * a number 0..255, else {@code null}. Read in place: only a number with leading zeros is
     * copied. Only ASCII {@code I}/{@code i} and {@code P}/{@code p} lower-case to {@code i} and
     * {@code p}, and only ASCII digits are digits, so reading the ASCII forms is enough.
     */
    private static String protocol(String text, int from, int to) {
        if (to - from == 2 && (text.charAt(from) | 0x20) == 'i' && (text.charAt(from + 1) | 0x20) == 'p') {
            return "ip";
        }
        if (!number(text, from, to, 255)) {
            return null;
        }
        if (to - from > 1 && text.charAt(from) == '0') {
            return text.substring(from, to);
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (text.charAt(i) - '0');
        }
        return PROTOCOLS[v];
    }

    private static Parsed error(String text, String why) {
        return new Parsed(null, "Flow-Description '" + text.strip() + "': " + why);
    }

    /**
     * The address of the word {@code text.substring(from, to)} without "!" and mask; "" for
     * any/assigned; {@code null} when not an address. Read in place: only the address is copied.
     */
    private static String address(String text, int from, int to) {
        int s = from < to && text.charAt(from) == '!' ? from + 1 : from;
        if (is(text, s, to, "any") || is(text, s, to, "assigned")) {
            return "";
        }
        int e = to;
        int slash = indexOf(text, '/', s, to);
        if (slash >= 0) {
            if (!number(text, slash + 1, to, 128)) {
                return null;
            }
            e = slash;
        }
        if (s == e) {
            return null;
        }
        for (int i = s; i < e; i++) {
            char c = text.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == ':' || c == '-')) {
                return null;
            }
        }
        return text.substring(s, e);
    }

    /**
     * {@code text.substring(from, to)} is {@code word}, compared a character at a time: the words
     * are a few characters long, where this is cheaper than {@link String#startsWith(String, int)}.
     */
    private static boolean is(String text, int from, int to, String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (text.charAt(i) != word.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code text.substring(begin, stop)} is a port list: ranges separated by commas, each a port or
     * {@code low-high}, every port 0..65535.
     */
    private static boolean ports(String text, int begin, int stop) {
        int from = begin;
        while (true) {
            int comma = indexOf(text, ',', from, stop);
            int end = comma < 0 ? stop : comma;
            int dash = indexOf(text, '-', from, stop);
            if (dash < 0 || dash >= end) {
                if (!number(text, from, end, 65535)) {
                    return false;
                }
            } else if (indexOf(text, '-', dash + 1, stop) >= 0 && indexOf(text, '-', dash + 1, stop) < end
                    || !number(text, from, dash, 65535) || !number(text, dash + 1, end, 65535)) {
                return false;
            }
            if (comma < 0) {
                return true;
            }
            from = comma + 1;
        }
    }

    /** The first {@code c} in {@code text} from {@code from} and before {@code stop}, or -1. */
    private static int indexOf(String text, char c, int from, int stop) {
        int i = text.indexOf(c, from);
        return i < stop ? i : -1;
    }

    /** {@code s.substring(from, to)} is a number of 1 to 5 digits, at most {@code max}. */
    private static boolean number(String s, int from, int to, int max) {
        if (from >= to || to - from > 5) {
            return false;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max;
    }
}
