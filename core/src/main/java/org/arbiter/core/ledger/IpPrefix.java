package org.arbiter.core.ledger;

import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 prefix, parsed from literals only (never a name lookup).
 *
 * @param address the network address bytes (4 or 16), host bits cleared
 * @param length the prefix length in bits
 */
public record IpPrefix(byte[] address, int length) {

    public IpPrefix {
        Objects.requireNonNull(address, "address");
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address must have 4 or 16 bytes");
        }
        if (length < 0 || length > address.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for "
                    + (address.length == 4 ? "IPv4 (0..32)" : "IPv6 (0..128)"));
        }
        address = mask(address.clone(), length);
    }

    /**
     * Parses {@code a.b.c.d/n}, {@code x:y::z/n}, or a bare address (a host prefix).
     *
     * @throws IllegalArgumentException naming the text and what is wrong
     */
    public static IpPrefix parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = parseAddress(addr);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address or prefix");
        }
        int len = bytes.length * 8;
        if (slash >= 0) {
            try {
                len = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': prefix length is not a number", e);
            }
        }
        return new IpPrefix(bytes, len);
    }

    /** Parses a textual IPv4 or IPv6 address; {@code null} when it is not one. */
    public static byte[] parseAddress(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        return s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s);
    }

    private static byte[] parseV4(String s) {
        // four dot-separated parts of one to three digits (Character.isDigit), each at most 255
        byte[] out = new byte[4];
        int part = 0;
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i < s.length() && s.charAt(i) != '.') {
                continue;
            }
            if (part == 4 || i == start || i - start > 3) {
                return null;
            }
            int v = 0;
            for (int j = start; j < i; j++) {
                char c = s.charAt(j);
                if (!Character.isDigit(c)) {
                    return null;
                }
                v = v * 10 + Character.digit(c, 10);
            }
            if (v > 255) {
                return null;
            }
            out[part++] = (byte) v;
            start = i + 1;
        }
        return part == 4 ? out : null;
    }

    private static byte[] parseV6(String s) {
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        byte[] v4tail = null;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.', lastColon) >= 0) {
            v4tail = parseV4(s.substring(lastColon + 1));
            if (v4tail == null) {
                return null;
            }
            s = s.substring(0, lastColon + 1) + "0:0";
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String[] head;
        String[] tail;
        if (dbl >= 0) {
            String h = s.substring(0, dbl);
            String t = s.substring(dbl + 2);
            head = h.isEmpty() ? new String[0] : h.split(":", -1);
            tail = t.isEmpty() ? new String[0] : t.split(":", -1);
            if (head.length + tail.length > 7) {
                return null;
            }
        } else {
            head = s.split(":", -1);
            tail = new String[0];
            if (head.length != 8) {
                return null;
            }
        }
        int[] groups = new int[8];
        for (int i = 0; i < head.length; i++) {
            Integer g = hexGroup(head[i]);
            if (g == null) {
                return null;
            }
            groups[i] = g;
        }
        for (int i = 0; i < tail.length; i++) {
            Integer g = hexGroup(tail[i]);
            if (g == null) {
                return null;
            }
            groups[8 - tail.length + i] = g;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (groups[i] >> 8);
            out[2 * i + 1] = (byte) groups[i];
        }
        if (v4tail != null) {
            System.arraycopy(v4tail, 0, out, 12, 4);
        }
        return out;
    }

    private static Integer hexGroup(String g) {
        if (g.isEmpty() || g.length() > 4) {
            return null;
        }
        try {
            return Integer.parseInt(g, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] mask(byte[] a, int len) {
        for (int bit = len; bit < a.length * 8; bit++) {
            a[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        return a;
    }

    /** True when the address (textual) lies inside this prefix. */
    public boolean contains(String addressText) {
        byte[] a = parseAddress(addressText);
        return a != null && contains(a);
    }

    /** True when the address bytes lie inside this prefix. */
    public boolean contains(byte[] a) {
        if (a.length != address.length) {
            return false;
        }
        return Arrays.equals(mask(a.clone(), length), address);
    }

    /** True when the two prefixes share any address. */
    public boolean overlaps(IpPrefix o) {
        if (o.address.length != address.length) {
            return false;
        }
        int l = Math.min(length, o.length);
        return Arrays.equals(mask(address.clone(), l), mask(o.address.clone(), l));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.length == length && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + length;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (address.length == 4) {
            for (int i = 0; i < 4; i++) {
                sb.append(i == 0 ? "" : ".").append(address[i] & 0xFF);
            }
        } else {
            for (int i = 0; i < 8; i++) {
                sb.append(i == 0 ? "" : ":").append(Integer.toHexString(((address[2 * i] & 0xFF) << 8) | (address[2 * i + 1] & 0xFF)));
            }
        }
        return sb.append('/').append(length).toString();
    }
}
