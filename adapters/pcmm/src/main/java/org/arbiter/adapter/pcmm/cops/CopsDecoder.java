package org.arbiter.adapter.pcmm.cops;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a byte stream into COPS messages (RFC 2748 §2.1, §2.2). Emits a {@link CopsMessage} for
 * every well-formed frame and an {@link InvalidCopsMessage} for every malformed one; it never throws
 * for bad input.
 *
 * <p>State machine: {@code READ_HEADER} waits for the 8 header bytes and checks the version and the
 * Message Length (at least 8, a multiple of 4, at most the limit given in the constructor);
 * {@code READ_BODY} waits for the rest of the frame and parses it; {@code DISCARD} is entered when
 * the framing is lost (bad version or length): one {@link InvalidCopsMessage} with
 * {@code framingLost} is emitted and every later byte is dropped, so the handler after it sends a
 * Client-Close and closes the connection.
 *
 * <p>A frame whose framing holds but whose contents are wrong becomes an {@link InvalidCopsMessage}
 * carrying the RFC's Error object: 3 Bad message format (reserved flags, unknown Op Code, an object
 * length that is short, overruns the message or does not fit its C-Num, values outside their
 * definition), 13 Unknown COPS Object (sub-code: C-Num and C-Type), 7 Mandatory COPS object missing
 * (sub-code: the missing C-Num in the high octet), and the stream goes on with the next frame.
 * Deliberately strict beyond the RFC: a Keep-Alive must have Client-type 0, and REQ, DEC, RPT and
 * DRQ must start with their Handle.
 *
 * <p>Not sharable: one instance per channel, used on its event loop only.
 */
public final class CopsDecoder extends ByteToMessageDecoder {

    /** The largest Message Length accepted by default (PacketCable messages are a few hundred bytes). */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

    enum State { READ_HEADER, READ_BODY, DISCARD }

    private final int maxMessageSize;
    private State state = State.READ_HEADER;
    private int frameLength;

    /** @param maxMessageSize the largest message accepted, 8 .. 2^31-4 bytes */
    public CopsDecoder(int maxMessageSize) {
        if (maxMessageSize < CopsMessage.HEADER_LENGTH || maxMessageSize > Integer.MAX_VALUE - 3) {
            throw new IllegalArgumentException("maxMessageSize must be 8.." + (Integer.MAX_VALUE - 3) + ", was " + maxMessageSize);
        }
        this.maxMessageSize = maxMessageSize;
    }

    State state() {
        return state;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case READ_HEADER -> {
                if (in.readableBytes() < CopsMessage.HEADER_LENGTH) {
                    return;
                }
                int at = in.readerIndex();
                int version = in.getUnsignedByte(at) >> 4;
                long length = in.getUnsignedInt(at + 4);
                String fault = null;
                if (version != CopsMessage.VERSION) {
                    fault = "unsupported COPS version " + version;
                } else if (length < CopsMessage.HEADER_LENGTH || length % 4 != 0) {
                    fault = "Message Length " + length + " must be >= 8 and a multiple of 4";
                } else if (length > maxMessageSize) {
                    fault = "Message Length " + length + " exceeds the limit of " + maxMessageSize + " bytes";
                }
                if (fault != null) {
                    out.add(new InvalidCopsMessage(new CopsObject.ErrorObject(CopsErrorCode.BAD_MESSAGE_FORMAT, 0), fault, true,
                            CopsOpCode.of(in.getUnsignedByte(at + 1)), in.getUnsignedShort(at + 2)));
                    state = State.DISCARD;
                    in.skipBytes(in.readableBytes());
                    return;
                }
                frameLength = (int) length;
                state = State.READ_BODY;
                readBody(in, out);
            }
            case READ_BODY -> readBody(in, out);
            case DISCARD -> in.skipBytes(in.readableBytes());
        }
    }

    private void readBody(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < frameLength) {
            return;
        }
        out.add(parse(in.readSlice(frameLength)));
        state = State.READ_HEADER;
    }

    /**
     * Parses one complete frame outside a pipeline (tools and tests), applying the same checks as
     * the decoder.
     *
     * @return a {@link CopsMessage} or an {@link InvalidCopsMessage}
     */
    public static Object parseFrame(byte[] frame) {
        if (frame.length < CopsMessage.HEADER_LENGTH) {
            return new InvalidCopsMessage(new CopsObject.ErrorObject(CopsErrorCode.BAD_MESSAGE_FORMAT, 0),
                    "frame of " + frame.length + " bytes is shorter than the header", true, null, 0);
        }
        ByteBuf b = Unpooled.wrappedBuffer(frame);
        int version = b.getUnsignedByte(0) >> 4;
        long length = b.getUnsignedInt(4);
        if (version != CopsMessage.VERSION || length != frame.length || length % 4 != 0) {
            return new InvalidCopsMessage(new CopsObject.ErrorObject(CopsErrorCode.BAD_MESSAGE_FORMAT, 0),
                    "version " + version + " / Message Length " + length + " do not describe a frame of " + frame.length + " bytes",
                    true, CopsOpCode.of(b.getUnsignedByte(1)), b.getUnsignedShort(2));
        }
        return parse(b);
    }

    /** Parses a frame whose version and length were checked; never throws. */
    static Object parse(ByteBuf frame) {
        int at = frame.readerIndex();
        int flags = frame.getUnsignedByte(at) & 0x0F;
        int op = frame.getUnsignedByte(at + 1);
        int clientType = frame.getUnsignedShort(at + 2);
        int length = frame.getInt(at + 4);
        CopsOpCode opCode = CopsOpCode.of(op);
        if (opCode == null) {
            return invalid(CopsErrorCode.BAD_MESSAGE_FORMAT, 0, "unknown Op Code " + op, null, clientType);
        }
        if ((flags & ~CopsMessage.FLAG_SOLICITED) != 0) {
            return invalid(CopsErrorCode.BAD_MESSAGE_FORMAT, 0, "reserved header flags 0x" + Integer.toHexString(flags) + " set",
                    opCode, clientType);
        }
        if (opCode == CopsOpCode.KA && clientType != 0) {
            return invalid(CopsErrorCode.BAD_MESSAGE_FORMAT, 0, "Keep-Alive with Client-type " + clientType + " (must be 0)",
                    opCode, clientType);
        }
        List<CopsObject> objects = new ArrayList<>();
        int offset = CopsMessage.HEADER_LENGTH;
        while (offset < length) {
            int remaining = length - offset;
            if (remaining < CopsObject.HEADER_LENGTH) {
                return invalid(CopsErrorCode.BAD_MESSAGE_FORMAT, 0, remaining + " trailing bytes at offset " + offset, opCode, clientType);
            }
            int objLen = frame.getUnsignedShort(at + offset);
            int cNum = frame.getUnsignedByte(at + offset + 2);
            int cType = frame.getUnsignedByte(at + offset + 3);
            if (objLen < CopsObject.HEADER_LENGTH || CopsObject.padded(objLen) > remaining) {
                return invalid(CopsErrorCode.BAD_MESSAGE_FORMAT, 0, "object C-Num " + cNum + " C-Type " + cType + " at offset " + offset
                        + " has Length " + objLen + " but " + remaining + " bytes remain", opCode, clientType);
            }
            Object o = object(cNum, cType, frame.slice(at + offset + CopsObject.HEADER_LENGTH, objLen - CopsObject.HEADER_LENGTH));
            if (o instanceof Fault f) {
                return invalid(f.code, f.subcode, f.reason + " (object at offset " + offset + ")", opCode, clientType);
            }
            objects.add((CopsObject) o);
            offset += CopsObject.padded(objLen);
        }
        Missing missing = missingMandatory(opCode, objects);
        if (missing != null) {
            return invalid(CopsErrorCode.MANDATORY_OBJECT_MISSING, missing.cNum << 8, opCode + " " + missing.text, opCode, clientType);
        }
        return new CopsMessage((flags & CopsMessage.FLAG_SOLICITED) != 0, opCode, clientType, objects);
    }

    private record Fault(CopsErrorCode code, int subcode, String reason) {
    }

    private static InvalidCopsMessage invalid(CopsErrorCode code, int subcode, String reason, CopsOpCode op, int clientType) {
        return new InvalidCopsMessage(new CopsObject.ErrorObject(code, subcode), reason, false, op, clientType);
    }

    private static Fault unknown(int cNum, int cType) {
        return new Fault(CopsErrorCode.UNKNOWN_COPS_OBJECT, cNum << 8 | cType, "unknown object C-Num " + cNum + " C-Type " + cType);
    }

    private static Fault badLength(String name, int len, String expected) {
        return new Fault(CopsErrorCode.BAD_MESSAGE_FORMAT, 0, name + " contents of " + len + " bytes (expected " + expected + ")");
    }

    private static Object object(int cNum, int cType, ByteBuf c) {
        int len = c.readableBytes();
        switch (cNum) {
            case CopsObject.C_HANDLE -> {
                if (cType != 1) {
                    return unknown(cNum, cType);
                }
                return len == 0 ? badLength("Handle", len, "at least 1") : new CopsObject.Handle(ByteBufUtil.getBytes(c));
            }
            case CopsObject.C_CONTEXT -> {
                if (cType != 1) {
                    return unknown(cNum, cType);
                }
                return len != 4 ? badLength("Context", len, "4") : new CopsObject.Context(c.getUnsignedShort(0), c.getUnsignedShort(2));
            }
            case CopsObject.C_IN_INT, CopsObject.C_OUT_INT, CopsObject.C_PDP_REDIRECT_ADDRESS, CopsObject.C_LAST_PDP_ADDRESS -> {
                if (cType != 1 && cType != 2) {
                    return unknown(cNum, cType);
                }
                int expected = cType == 1 ? 8 : 20;
                return len != expected ? badLength("C-Num " + cNum, len, String.valueOf(expected))
                        : new CopsObject.Carried(cNum, cType, ByteBufUtil.getBytes(c));
            }
            case CopsObject.C_REASON -> {
                if (cType != 1) {
                    return unknown(cNum, cType);
                }
                return len != 4 ? badLength("Reason", len, "4") : new CopsObject.Reason(c.getUnsignedShort(0), c.getUnsignedShort(2));
            }
            case CopsObject.C_DECISION -> {
                if (cType == 1) {
                    if (len != 4) {
                        return badLength("Decision Flags", len, "4");
                    }
                    int command = c.getUnsignedShort(0);
                    if (command > 2) {
                        return new Fault(CopsErrorCode.BAD_MESSAGE_FORMAT, 0, "unknown Decision Command-Code " + command);
                    }
                    return new CopsObject.DecisionFlags(CopsObject.DecisionFlags.Command.values()[command], c.getUnsignedShort(2));
                }
                return cType >= 2 && cType <= 5 ? new CopsObject.DecisionData(cType, ByteBufUtil.getBytes(c)) : unknown(cNum, cType);
            }
            case CopsObject.C_LPDP_DECISION -> {
                return cType >= 1 && cType <= 5 ? new CopsObject.Carried(cNum, cType, ByteBufUtil.getBytes(c)) : unknown(cNum, cType);
            }
            case CopsObject.C_ERROR -> {
                if (cType != 1) {
                    return unknown(cNum, cType);
                }
                return len != 4 ? badLength("Error", len, "4") : new CopsObject.ErrorObject(c.getUnsignedShort(0), c.getUnsignedShort(2));
            }
            case CopsObject.C_CLIENT_SI -> {
                return cType == 1 || cType == 2 ? new CopsObject.ClientSI(cType, ByteBufUtil.getBytes(c)) : unknown(cNum, cType);
            }
            case CopsObject.C_KA_TIMER -> {
                if (cType != 1) {
                    return unknown(cNum, cType);
                }
                return len != 4 ? badLength("KA Timer", len, "4") : new CopsObject.KaTimer(c.getUnsignedShort(2));
            }
            case CopsObject.C_PEPID -> {
                if (cType != 1) {
                    return unknown(cNum, cType);
                }
                return pepId(c);
            }
            case CopsObject.C_REPORT_TYPE -> {
                if (cType != 1) {
                    return unknown(cNum, cType);
                }
                if (len != 4) {
                    return badLength("Report-Type", len, "4");
                }
                CopsObject.ReportType.Kind kind = CopsObject.ReportType.Kind.of(c.getUnsignedShort(0));
                return kind == null ? new Fault(CopsErrorCode.BAD_MESSAGE_FORMAT, 0, "unknown Report-Type " + c.getUnsignedShort(0))
                        : new CopsObject.ReportType(kind);
            }
            case CopsObject.C_ACCT_TIMER -> {
                if (cType != 1) {
                    return unknown(cNum, cType);
                }
                return len != 4 ? badLength("Accounting Timer", len, "4") : new CopsObject.AcctTimer(c.getUnsignedShort(2));
            }
            case CopsObject.C_INTEGRITY -> {
                if (cType != 1) {
                    return unknown(cNum, cType);
                }
                return len < 8 ? badLength("Integrity", len, "at least 8") : new CopsObject.Carried(cNum, cType, ByteBufUtil.getBytes(c));
            }
            default -> {
                return unknown(cNum, cType);
            }
        }
    }

    private static Object pepId(ByteBuf c) {
        int len = c.readableBytes();
        int nul = c.indexOf(0, len, (byte) 0);
        if (nul <= 0) {
            return new Fault(CopsErrorCode.BAD_MESSAGE_FORMAT, 0, nul == 0 ? "empty PEPID" : "PEPID is not NUL-terminated");
        }
        for (int i = 0; i < nul; i++) {
            int ch = c.getUnsignedByte(i);
            if (ch < 0x20 || ch > 0x7E) {
                return new Fault(CopsErrorCode.BAD_MESSAGE_FORMAT, 0, "PEPID has a non-printable byte 0x" + Integer.toHexString(ch));
            }
        }
        for (int i = nul; i < len; i++) {
            if (c.getByte(i) != 0) {
                return new Fault(CopsErrorCode.BAD_MESSAGE_FORMAT, 0, "PEPID has bytes after its NUL");
            }
        }
        return new CopsObject.PepId(c.toString(0, nul, StandardCharsets.US_ASCII));
    }

    private record Missing(int cNum, String text) {
    }

    /** The first mandatory object missing (RFC 2748 §3), or null. */
    private static Missing missingMandatory(CopsOpCode op, List<CopsObject> objects) {
        boolean handleFirst = !objects.isEmpty() && objects.get(0) instanceof CopsObject.Handle;
        Missing noHandle = new Missing(CopsObject.C_HANDLE, "must start with a Handle");
        return switch (op) {
            case REQ -> !handleFirst ? noHandle
                    : has(objects, CopsObject.Context.class) ? null : new Missing(CopsObject.C_CONTEXT, "has no Context");
            case DEC -> !handleFirst ? noHandle
                    : has(objects, CopsObject.DecisionFlags.class) || has(objects, CopsObject.ErrorObject.class) ? null
                    : new Missing(CopsObject.C_DECISION, "has neither Decision Flags nor Error");
            case RPT -> !handleFirst ? noHandle
                    : has(objects, CopsObject.ReportType.class) ? null : new Missing(CopsObject.C_REPORT_TYPE, "has no Report-Type");
            case DRQ -> !handleFirst ? noHandle
                    : has(objects, CopsObject.Reason.class) ? null : new Missing(CopsObject.C_REASON, "has no Reason");
            case OPN -> has(objects, CopsObject.PepId.class) ? null : new Missing(CopsObject.C_PEPID, "has no PEPID");
            case CAT -> has(objects, CopsObject.KaTimer.class) ? null : new Missing(CopsObject.C_KA_TIMER, "has no KA Timer");
            case CC -> has(objects, CopsObject.ErrorObject.class) ? null : new Missing(CopsObject.C_ERROR, "has no Error");
            case SSQ, KA, SSC -> null;
        };
    }

    private static boolean has(List<CopsObject> objects, Class<? extends CopsObject> type) {
        return objects.stream().anyMatch(type::isInstance);
    }
}
