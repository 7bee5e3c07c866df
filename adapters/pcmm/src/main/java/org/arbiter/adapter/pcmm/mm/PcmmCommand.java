package org.arbiter.adapter.pcmm.mm;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A PacketCable Multimedia gate control message (Gate-Set, Gate-Set-Ack, Synch-Report...): its
 * TransactionID, which names the command, and the objects after it, in wire order.
 *
 * @param transactionId the TransactionID (token and Gate Command Type)
 * @param objects the objects that follow the TransactionID
 */
public record PcmmCommand(PcmmObject.TransactionId transactionId, List<PcmmObject> objects) implements PcmmDecoded {

    public PcmmCommand {
        Objects.requireNonNull(transactionId, "transactionId");
        objects = List.copyOf(objects);
        if (objects.stream().anyMatch(PcmmObject.TransactionId.class::isInstance)) {
            throw new org.arbiter.adapter.pcmm.cops.CopsException("a command has exactly one TransactionID, and it comes first");
        }
    }

    /** Builds a command from its parts. */
    public static PcmmCommand of(int transactionId, GateCommand command, PcmmObject... objects) {
        return new PcmmCommand(new PcmmObject.TransactionId(transactionId, command), List.of(objects));
    }

    /** The Gate Command Type. */
    public GateCommand command() {
        return transactionId.command();
    }

    /** The first object of {@code type}, if any. */
    public <T extends PcmmObject> Optional<T> first(Class<T> type) {
        for (PcmmObject o : objects) {
            if (type.isInstance(o)) {
                return Optional.of(type.cast(o));
            }
        }
        return Optional.empty();
    }

    /** Every object of {@code type}, in wire order. */
    public <T extends PcmmObject> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The wire length of the TransactionID and the objects. */
    public int length() {
        int n = transactionId.encodedLength();
        for (PcmmObject o : objects) {
            n += o.encodedLength();
        }
        return n;
    }
}
