package org.arbiter.core.qos;

import java.util.Locale;

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
        String[] t = tokens(text);
        if (t.length < 7) {
            return error(text, "expected 'permit in|out <proto> from <address> [ports] to <address> [ports]'");
        }
        if (!t[0].equals("permit")) {
            return error(text, "the action must be 'permit' (TS 29.214 §5.3.8), found '" + t[0] + "'");
        }
        Direction dir = switch (t[1]) {
            case "in" -> Direction.UPLINK;
            case "out" -> Direction.DOWNLINK;
            default -> null;
        };
        if (dir == null) {
            return error(text, "the direction must be 'in' or 'out', found '" + t[1] + "'");
        }
        String proto = t[2].toLowerCase(Locale.ROOT);
        if (!proto.equals("ip") && !number(proto, 255)) {
            return error(text, "the protocol must be 'ip' or a number 0..255, found '" + t[2] + "'");
        }
        if (!t[3].equals("from")) {
            return error(text, "expected 'from' after the protocol, found '" + t[3] + "'");
        }
        int i = 4;
        String src = address(t[i++]);
        if (src == null) {
            return error(text, "the source '" + t[4] + "' is not an address, 'any' or 'assigned'");
        }
        if (i < t.length && !t[i].equals("to")) {
            if (!ports(t[i])) {
                return error(text, "the source ports '" + t[i] + "' are not a port list");
            }
            i++;
        }
        if (i >= t.length || !t[i].equals("to")) {
            return error(text, "expected 'to' after the source");
        }
        i++;
        if (i >= t.length) {
            return error(text, "no destination after 'to'");
        }
        String dst = address(t[i]);
        if (dst == null) {
            return error(text, "the destination '" + t[i] + "' is not an address, 'any' or 'assigned'");
        }
        if (i + 1 < t.length && !ports(t[i + 1]) && Character.isDigit(t[i + 1].charAt(0))) {
            return error(text, "the destination ports '" + t[i + 1] + "' are not a port list");
        }
        return new Parsed(new FlowDescription(dir, proto, src.isEmpty() ? null : src, dst.isEmpty() ? null : dst), null);
    }

    /**
     * The words of a rule: separated by runs of white space as {@code \s} matches it (space, tab,
     * LF, VT, FF, CR); white space at either end ignored, as {@link String#strip()} ignores it. A
     * blank rule has no word.
     */
    static String[] tokens(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        // counted first, so that the words go straight into an array of their number
        int count = 0;
        for (int i = start; i < end; i++) {
            if (!separator(text.charAt(i)) && (i == start || separator(text.charAt(i - 1)))) {
                count++;
            }
        }
        String[] out = new String[count];
        int n = 0;
        int from = start;
        for (int i = start; i < end; i++) {
            if (separator(text.charAt(i))) {
                if (from < i) {
                    out[n++] = text.substring(from, i);
                }
                from = i + 1;
            }
        }
        if (from < end) {
            out[n] = text.substring(from, end);
        }
        return out;
    }

    private static boolean separator(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static Parsed error(String text, String why) {
        return new Parsed(null, "Flow-Description '" + text.strip() + "': " + why);
    }

    /** The address without "!" and mask; "" for any/assigned; {@code null} when not an address. */
    private static String address(String a) {
        String s = a.startsWith("!") ? a.substring(1) : a;
        if (s.equals("any") || s.equals("assigned")) {
            return "";
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            if (!number(s.substring(slash + 1), 128)) {
                return null;
            }
            s = s.substring(0, slash);
        }
        if (s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == ':' || c == '-')) {
                return null;
            }
        }
        return s;
    }

    /** A port list: ranges separated by commas, each a port or {@code low-high}, every port 0..65535. */
    private static boolean ports(String p) {
        int from = 0;
        while (true) {
            int comma = p.indexOf(',', from);
            int end = comma < 0 ? p.length() : comma;
            int dash = p.indexOf('-', from);
            if (dash < 0 || dash >= end) {
                if (!number(p.substring(from, end), 65535)) {
                    return false;
                }
            } else if (p.indexOf('-', dash + 1) >= 0 && p.indexOf('-', dash + 1) < end
                    || !number(p.substring(from, dash), 65535) || !number(p.substring(dash + 1, end), 65535)) {
                return false;
            }
            if (comma < 0) {
                return true;
            }
            from = comma + 1;
        }
    }

    private static boolean number(String s, int max) {
        if (s.isEmpty() || s.length() > 5) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(s) <= max;
    }
}
