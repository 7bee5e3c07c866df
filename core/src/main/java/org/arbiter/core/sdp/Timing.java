package org.arbiter.core.sdp;

import java.util.List;
import java.util.Objects;

/**
 * A {@code t=<start-time> <stop-time>} line (RFC 8866 §5.9) and the {@code r=} lines that follow
 * it (§5.10, kept as written).
 *
 * @param start NTP start time, 0 for unbounded
 * @param stop NTP stop time, 0 for unbounded
 * @param repeats the values of the {@code r=} lines, each non-blank
 */
public record Timing(long start, long stop, List<String> repeats) {

    public Timing {
        if (start < 0 || stop < 0) {
            throw SdpSyntax.invalid("timing", start + " " + stop, "times must be >= 0");
        }
        repeats = List.copyOf(Objects.requireNonNull(repeats, "repeats"));
        for (String r : repeats) {
            if (r.isBlank() || !SdpSyntax.isText(r)) {
                throw SdpSyntax.invalid("repeat r=", r, "must be non-blank text without NUL, CR or LF");
            }
        }
    }

    /** {@code t=0 0}: a session without time bounds, what SIP user agents send. */
    public static Timing unbounded() {
        return new Timing(0, 0, List.of());
    }
}
