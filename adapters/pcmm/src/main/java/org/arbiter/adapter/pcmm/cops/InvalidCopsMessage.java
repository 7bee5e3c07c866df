package org.arbiter.adapter.pcmm.cops;

import java.util.Objects;

/**
 * A frame the decoder could not accept, as a value (never an exception): the Error object to send
 * in a Client-Close (RFC 2748 §2.2.8), a readable reason, and whether the byte stream can still be
 * split into messages.
 *
 * @param error the Error object: 3 Bad message format, 7 Mandatory COPS object missing or 13
 *     Unknown COPS Object (with the object's C-Num and C-Type in the sub-code)
 * @param reason what was wrong, with the offsets and values seen
 * @param framingLost true when the header could not be trusted (version, length): nothing after
 *     it is decoded, the connection must close
 * @param opCode the Op Code of the header, or {@code null} when unknown
 * @param clientType the Client-type of the header
 */
public record InvalidCopsMessage(CopsObject.ErrorObject error, String reason, boolean framingLost, CopsOpCode opCode,
        int clientType) {

    public InvalidCopsMessage {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(reason, "reason");
    }
}
