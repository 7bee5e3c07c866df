package org.arbiter.core.sdp;

import java.util.Objects;

/**
 * Why a description was refused: the 1-based line of the input (counting the Codec-Data header
 * lines, so that it matches the file or the AVP as received; 0 when the fault is not on one line)
 * and a reason that names the field and what is allowed.
 */
public record SdpError(int line, String reason) {

    public SdpError {
        Objects.requireNonNull(reason, "reason");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0, was " + line);
        }
    }

    /** {@code line 4: reason}, or the reason alone when there is no line. */
    @Override
    public String toString() {
        return line == 0 ? reason : "line " + line + ": " + reason;
    }
}
