package org.arbiter.adapter.pcmm.cops;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A well-formed COPS message (RFC 2748 §2.1): the common header (Version 1, Flags, Op Code,
 * Client-type, Message Length) and its objects in wire order.
 *
 * @param solicited the Solicited Message flag (0x1): set on a message sent in answer to another
 * @param opCode the operation
 * @param clientType the Client-type, {@value #CLIENT_TYPE_PCMM} for PacketCable Multimedia and 0
 *     for Keep-Alive
 * @param objects the objects, in wire order
 */
public record CopsMessage(boolean solicited, CopsOpCode opCode, int clientType, List<CopsObject> objects) {

    /** The common header length. */
    public static final int HEADER_LENGTH = 8;

    /** The only version RFC 2748 defines. */
    public static final int VERSION = 1;

    /** The Client-type of PacketCable Multimedia. */
    public static final int CLIENT_TYPE_PCMM = 0x800A;

    /** The Solicited Message flag bit. */
    public static final int FLAG_SOLICITED = 0x1;

    public CopsMessage {
        Objects.requireNonNull(opCode, "opCode");
        CopsException.u16("Client-type", clientType);
        objects = List.copyOf(objects);
    }

    /** The Message Length: header and every object with its padding. */
    public int length() {
        int n = HEADER_LENGTH;
        for (CopsObject o : objects) {
            n += o.encodedLength();
        }
        return n;
    }

    /** Writes the message in wire format. */
    public void encode(ByteBuf out) {
        out.writeByte(VERSION << 4 | (solicited ? FLAG_SOLICITED : 0));
        out.writeByte(opCode.code());
        out.writeShort(clientType);
        out.writeInt(length());
        for (CopsObject o : objects) {
            int len = CopsObject.HEADER_LENGTH + o.contentLength();
            out.writeShort(len).writeByte(o.cNum()).writeByte(o.cType());
            o.encodeContents(out);
            out.writeZero(CopsObject.padded(len) - len);
        }
    }

    /** The first object of {@code type}, if any. */
    public <T extends CopsObject> Optional<T> first(Class<T> type) {
        for (CopsObject o : objects) {
            if (type.isInstance(o)) {
                return Optional.of(type.cast(o));
            }
        }
        return Optional.empty();
    }

    /** Every object of {@code type}, in wire order. */
    public <T extends CopsObject> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
