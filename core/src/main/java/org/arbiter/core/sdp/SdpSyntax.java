package org.arbiter.core.sdp;

/**
 * The lexical rules of RFC 8866 §9 that the records and the parser share: tokens, text that can
 * be printed on one line, and bounded decimal numbers.
 */
final class SdpSyntax {

    /** Decimal numbers longer than this are refused, so that every value fits a {@code long}. */
    static final int MAX_DIGITS = 18;

    private SdpSyntax() {}

    /**
     * {@link #isTokenChar} as bits, looked up by {@link #isToken}: bit {@code c} of
     * {@code TOKEN_LOW} for U+0000..U+003F, bit {@code c - 64} of {@code TOKEN_HIGH} for
     * U+0040..U+007F (a shift of a {@code long} takes its count modulo 64).
     */
    private static final long TOKEN_LOW;
    private static final long TOKEN_HIGH;

    static {
        long low = 0;
        long high = 0;
        for (char c = 0; c < 128; c++) {
            if (isTokenChar(c)) {
                if (c < 64) {
                    low |= 1L << c;
                } else {
                    high |= 1L << (c - 64);
                }
            }
        }
        TOKEN_LOW = low;
        TOKEN_HIGH = high;
    }

    /** RFC 8866 {@code token-char}: %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E. */
    static boolean isTokenChar(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D || c == 0x2E
                || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);
    }

    /** A non-empty RFC 8866 {@code token}. */
    static boolean isToken(String s) {
        return s != null && isToken(s, 0, s.length());
    }

    /** {@link #isToken(String)} of {@code s.substring(from, to)}, read in place. */
    static boolean isToken(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 128 || ((c < 64 ? TOKEN_LOW : TOKEN_HIGH) >>> c & 1L) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when {@code word} is written in {@code s} at {@code from}, compared a character at a
     * time: the words compared are a few characters long, where this is cheaper than
     * {@link String#startsWith(String, int)}.
     */
    static boolean regionIs(String s, int from, String word) {
        int n = word.length();
        if (from < 0 || from > s.length() - n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(from + i) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Text allowed in a field value: anything but NUL, CR and LF (RFC 8866 {@code byte-string}, or empty). */
    static boolean isText(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\0' || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }

    /** A non-empty string without white space or the characters {@link #isText} refuses. */
    static boolean isNonWs(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** 1*DIGIT of at most {@link #MAX_DIGITS} digits, or -1. */
    static long digits(String s) {
        return s == null ? -1 : digits(s, 0, s.length());
    }

    /** {@link #digits(String)} of {@code s.substring(from, to)}, read in place. */
    static long digits(String s, int from, int to) {
        if (from >= to || to - from > MAX_DIGITS) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** No fields. */
    private static final String[] NO_FIELDS = new String[0];

    /**
     * The fields of a value separated by one or more spaces, as SDP separates them; blanks and
     * control characters ({@code <= U+0020}) at either end are ignored, as {@link String#trim()}
     * ignores them. Inside the value only the space separates: a tab is part of its field. An empty
     * or blank value has no field.
     */
    static String[] fields(String v) {
        return fields(v, 0);
    }

    /** {@link #fields(String)} of {@code v.substring(offset)}, without copying that part first. */
    static String[] fields(String v, int offset) {
        int start = offset;
        int end = v.length();
        while (start < end && v.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && v.charAt(end - 1) <= ' ') {
            end--;
        }
        if (start == end) {
            return NO_FIELDS;
        }
        int count = 1;
        for (int i = start + 1; i < end; i++) {
            if (v.charAt(i) == ' ' && v.charAt(i - 1) != ' ') {
                count++;
            }
        }
        String[] out = new String[count];
        int n = 0;
        int from = start;
        for (int i = start; i < end; i++) {
            if (v.charAt(i) == ' ') {
                if (from < i) {
                    out[n++] = v.substring(from, i);
                }
                from = i + 1;
            }
        }
        out[n] = v.substring(from, end);
        return out;
    }

    static IllegalArgumentException invalid(String what, Object value, String allowed) {
        return new IllegalArgumentException(what + " '" + value + "' is invalid: " + allowed);
    }

    static String requireToken(String what, String value) {
        if (!isToken(value)) {
            throw invalid(what, value, "expected an RFC 8866 token");
        }
        return value;
    }

    static String requireNonWs(String what, String value) {
        if (!isNonWs(value)) {
            throw invalid(what, value, "expected a non-empty value without white space");
        }
        return value;
    }

    /** {@code null} stays {@code null}; anything else must be {@link #isText}. */
    static String optionalText(String what, String value) {
        if (value != null && !isText(value)) {
            throw invalid(what, value, "text must not contain NUL, CR or LF");
        }
        return value;
    }
}
