package org.arbiter.adapter.pcmm.mm;

import java.util.Objects;

/**
 * PacketCable Multimedia objects the codec could not accept, as a value: the PacketCable Error a
 * CMTS would answer with (6 Missing Required Object, 7 Invalid Object, 17 Invalid Field Value in
 * Object, 19 Unknown Gate Command; sub-code S-Num/S-Type where it applies) and a readable reason.
 *
 * @param error the PacketCable Error object
 * @param reason what was wrong
 * @param transactionId the TransactionID when it could be read (to match the fault to a request), or -1
 * @param command the Gate Command Type when it could be read, or {@code null}
 */
public record PcmmFault(PcmmObject.PacketCableError error, String reason, int transactionId, GateCommand command)
        implements PcmmDecoded {

    public PcmmFault {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(reason, "reason");
    }
}
