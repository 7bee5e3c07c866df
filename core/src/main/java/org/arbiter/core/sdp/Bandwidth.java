package org.arbiter.core.sdp;

import java.util.Locale;
import java.util.Objects;

/**
 * A {@code b=<bwtype>:<bandwidth>} line (RFC 8866 §5.8). The unit depends on the type:
 * {@code AS} and {@code CT} are kbit/s (RFC 8866), {@code TIAS} is bit/s without transport
 * overhead (RFC 3890), {@code RS} and {@code RR} are the RTCP bandwidths in bit/s (RFC 3556).
 * Other types are kept but not interpreted.
 *
 * @param type the bandwidth type, an RFC 8866 token, case as written
 * @param value the number as written, &gt;= 0
 */
public record Bandwidth(String type, long value) {

    /** Conference total, kbit/s. */
    public static final String CT = "CT";
    /** Application specific maximum, kbit/s. */
    public static final String AS = "AS";
    /** Transport independent application specific maximum, bit/s (RFC 3890). */
    public static final String TIAS = "TIAS";
    /** RTCP bandwidth of active senders, bit/s (RFC 3556). */
    public static final String RS = "RS";
    /** RTCP bandwidth of other participants, bit/s (RFC 3556). */
    public static final String RR = "RR";

    public Bandwidth {
        SdpSyntax.requireToken("bandwidth type", Objects.requireNonNull(type, "type"));
        if (value < 0) {
            throw SdpSyntax.invalid("bandwidth b=" + type, value, "must be >= 0");
        }
    }

    /** True when the type is {@code t}, ignoring case. */
    public boolean is(String t) {
        // the parser gives the known types as the constants above, found here without comparing
        return type == t || type.equalsIgnoreCase(t);
    }

    /**
     * The value in bit/s for the types whose unit is known (AS, CT, TIAS, RS, RR), saturating at
     * {@link Long#MAX_VALUE}; -1 for other types.
     */
    public long bitsPerSecond() {
        return switch (type.toUpperCase(Locale.ROOT)) {
            case AS, CT -> value > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : value * 1000;
            case TIAS, RS, RR -> value;
            default -> -1;
        };
    }

    @Override
    public String toString() {
        return type + ":" + value;
    }
}
