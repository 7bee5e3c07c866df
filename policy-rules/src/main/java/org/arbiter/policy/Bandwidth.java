package org.arbiter.policy;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bandwidth values as policy files write them: a whole number of bit/s ({@code 64000}) or a
 * number with an SI unit ({@code 64k}, {@code 1.5M}, {@code 1G}, optionally followed by
 * {@code bit/s}). Units are decimal: k = 1000.
 */
final class Bandwidth {

    /** The largest bandwidth a policy may name: 1 Tbit/s. */
    static final long MAX_BPS = 1_000_000_000_000L;

    static final String SYNTAX = "a bandwidth: bit/s as a whole number (64000) or with a unit k, M or G (64k, 1.5M, 1G)";

    private static final Pattern TEXT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kMG]?)\\s*(?:bit/s|bps)?");

    private Bandwidth() {}

    /** The bit/s the text denotes, or -1 when it is not a bandwidth within 0..1 Tbit/s. */
    static long parse(String text) {
        Matcher m = TEXT.matcher(text.trim());
        if (!m.matches()) {
            return -1;
        }
        BigDecimal v = new BigDecimal(m.group(1));
        v = switch (m.group(2)) {
            case "k" -> v.movePointRight(3);
            case "M" -> v.movePointRight(6);
            case "G" -> v.movePointRight(9);
            default -> v;
        };
        if (v.compareTo(BigDecimal.valueOf(MAX_BPS)) > 0) {
            return -1;
        }
        try {
            return v.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException fractionalBits) {
            return -1;
        }
    }

    /** The shortest exact form: {@code 2M}, {@code 1500k}, {@code 12345}. */
    static String format(long bps) {
        if (bps > 0 && bps % 1_000_000_000L == 0) {
            return bps / 1_000_000_000L + "G";
        }
        if (bps > 0 && bps % 1_000_000L == 0) {
            return bps / 1_000_000L + "M";
        }
        if (bps > 0 && bps % 1000L == 0) {
            return bps / 1000L + "k";
        }
        return Long.toString(bps);
    }

    /** Appends the text {@link #format} returns to {@code sb}, without making a string of it; returns {@code sb}. */
    static StringBuilder append(StringBuilder sb, long bps) {
        if (bps > 0 && bps % 1_000_000_000L == 0) {
            return sb.append(bps / 1_000_000_000L).append('G');
        }
        if (bps > 0 && bps % 1_000_000L == 0) {
            return sb.append(bps / 1_000_000L).append('M');
        }
        if (bps > 0 && bps % 1000L == 0) {
            return sb.append(bps / 1000L).append('k');
        }
        return sb.append(bps);
    }
}
