package org.arbiter.diameter.codec;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Diameter message (RFC 6733 §3): header fields and the top-level AVPs in wire order.
 *
 * <p>Immutable value; {@link #withAvps(List)} and friends return copies. The version is always 1;
 * the decoder turns any other version into an {@link InvalidMessage}.
 *
 * @param flags the command flags (R, P, E, T in the high four bits)
 * @param commandCode the command code
 * @param applicationId the Application-ID (unsigned 32 bit)
 * @param hopByHop the Hop-by-Hop Identifier
 * @param endToEnd the End-to-End Identifier
 * @param avps the AVPs, in wire order
 */
public record DiameterMessage(int flags, int commandCode, long applicationId, int hopByHop, int endToEnd, List<Avp> avps) {

    public static final int FLAG_REQUEST = 0x80;
    public static final int FLAG_PROXIABLE = 0x40;
    public static final int FLAG_ERROR = 0x20;
    public static final int FLAG_RETRANSMIT = 0x10;
    /** The header length. */
    public static final int HEADER_LENGTH = 20;

    public DiameterMessage {
        avps = List.copyOf(Objects.requireNonNull(avps, "avps"));
    }

    public boolean isRequest() {
        return (flags & FLAG_REQUEST) != 0;
    }

    public boolean isProxiable() {
        return (flags & FLAG_PROXIABLE) != 0;
    }

    public boolean isError() {
        return (flags & FLAG_ERROR) != 0;
    }

    /** The T flag: a possibly retransmitted request. */
    public boolean isRetransmit() {
        return (flags & FLAG_RETRANSMIT) != 0;
    }

    /** The first top-level AVP with the definition's code and vendor, or {@code null}. */
    public Avp find(AvpDef def) {
        for (int i = 0, n = avps.size(); i < n; i++) {
            Avp a = avps.get(i);
            if (a.is(def)) {
                return a;
            }
        }
        return null;
    }

    /** Every top-level AVP with the definition's code and vendor, in wire order. */
    public List<Avp> findAll(AvpDef def) {
        List<Avp> out = new ArrayList<>();
        for (Avp a : avps) {
            if (a.is(def)) {
                out.add(a);
            }
        }
        return out;
    }

    /** The text of the first such AVP, or {@code null}. */
    public String text(AvpDef def) {
        Avp a = find(def);
        return a == null ? null : a.utf8();
    }

    /** A copy with other AVPs. */
    public DiameterMessage withAvps(List<Avp> newAvps) {
        return new DiameterMessage(flags, commandCode, applicationId, hopByHop, endToEnd, newAvps);
    }

    /** A copy with other flags. */
    public DiameterMessage withFlags(int newFlags) {
        return new DiameterMessage(newFlags, commandCode, applicationId, hopByHop, endToEnd, avps);
    }

    /** A copy with another Hop-by-Hop Identifier (a relayed or re-sent request). */
    public DiameterMessage withHopByHop(int id) {
        return new DiameterMessage(flags, commandCode, applicationId, id, endToEnd, avps);
    }

    /** The Message Length field: header plus padded AVPs. */
    public int length() {
        int len = HEADER_LENGTH;
        for (Avp a : avps) {
            len += a.paddedLength();
        }
        return len;
    }

    /** Writes the message in wire format. */
    public void encode(ByteBuf out) {
        out.writeByte(1);
        out.writeMedium(length());
        out.writeByte(flags);
        out.writeMedium(commandCode);
        out.writeInt((int) applicationId);
        out.writeInt(hopByHop);
        out.writeInt(endToEnd);
        for (Avp a : avps) {
            a.encode(out);
        }
    }

    @Override
    public String toString() {
        return "DiameterMessage[cmd=" + commandCode + (isRequest() ? " R" : " A") + (isProxiable() ? "P" : "")
                + (isError() ? "E" : "") + (isRetransmit() ? "T" : "") + " app=" + applicationId
                + " hbh=0x" + Integer.toHexString(hopByHop) + " e2e=0x" + Integer.toHexString(endToEnd)
                + " avps=" + avps.size() + "]";
    }
}
