package org.arbiter.diameter.codec;

import java.util.List;
import java.util.Objects;

/**
 * A frame the decoder could not accept, as a value (never an exception): enough to build the
 * error answer (RFC 6733 §7) and to decide whether the connection can go on.
 *
 * @param resultCode the Result-Code the answer carries (5014, 5015, 3008, 5001...)
 * @param failedAvp the offending AVP for Failed-AVP, or {@code null} when there is none
 * @param reason a human-readable reason (for logs and Error-Message)
 * @param framingLost true when the byte stream can no longer be split into messages (bad version,
 *     bad or excessive Message Length): answer if possible, then close the connection
 * @param flags the command flags of the header
 * @param commandCode the command code of the header
 * @param applicationId the Application-ID of the header
 * @param hopByHop the Hop-by-Hop Identifier of the header
 * @param endToEnd the End-to-End Identifier of the header
 * @param avps the top-level AVPs decoded before the fault (for Session-Id), possibly empty
 */
public record InvalidMessage(
        int resultCode,
        Avp failedAvp,
        String reason,
        boolean framingLost,
        int flags,
        int commandCode,
        long applicationId,
        int hopByHop,
        int endToEnd,
        List<Avp> avps) {

    public InvalidMessage {
        Objects.requireNonNull(reason, "reason");
        avps = List.copyOf(avps);
    }

    public boolean isRequest() {
        return (flags & DiameterMessage.FLAG_REQUEST) != 0;
    }

    /** The header and the AVPs decoded so far, as a message to answer. */
    public DiameterMessage partial() {
        return new DiameterMessage(flags, commandCode, applicationId, hopByHop, endToEnd, avps);
    }
}
