package org.arbiter.adapter.pcmm.mm;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.arbiter.adapter.pcmm.cops.CopsException;

/**
 * Encodes and decodes PacketCable Multimedia gate control messages: the block of objects carried in
 * a COPS Client Specific Decision (DEC) or a Signaled ClientSI (RPT, OPN).
 *
 * <p>Decoding never throws. Bad bytes become a {@link PcmmFault} holding the PacketCable Error a
 * CMTS would send: 7 Invalid Object for a length that is short, not a multiple of 4, overruns the
 * block or does not fit its S-Num/S-Type, or for an unknown S-Num/S-Type (sub-code: S-Num and
 * S-Type); 17 Invalid Field Value in Object for a value outside its definition; 6 Missing Required
 * Object when the TransactionID is not first or an object the command needs is absent (sub-code:
 * the missing S-Num, S-Type 1); 19 Unknown Gate Command for a command type Multimedia does not
 * define.
 *
 * <p>Stateless and thread-safe.
 */
public final class PcmmCodec {

    private static final Map<GateCommand, int[]> REQUIRED = new EnumMap<>(GateCommand.class);

    static {
        int amid = PcmmObject.S_AMID;
        int sub = PcmmObject.S_SUBSCRIBER_ID;
        int gate = PcmmObject.S_GATE_ID;
        int err = PcmmObject.S_PACKETCABLE_ERROR;
        REQUIRED.put(GateCommand.GATE_SET, new int[] {amid, sub, PcmmObject.S_GATE_SPEC, PcmmObject.S_CLASSIFIER,
            PcmmObject.S_TRAFFIC_PROFILE});
        REQUIRED.put(GateCommand.GATE_SET_ACK, new int[] {amid, sub, gate});
        REQUIRED.put(GateCommand.GATE_SET_ERR, new int[] {amid, sub, err});
        REQUIRED.put(GateCommand.GATE_INFO, new int[] {amid, sub, gate});
        REQUIRED.put(GateCommand.GATE_INFO_ACK, new int[] {amid, sub, gate, PcmmObject.S_GATE_SPEC, PcmmObject.S_CLASSIFIER,
            PcmmObject.S_TRAFFIC_PROFILE});
        REQUIRED.put(GateCommand.GATE_INFO_ERR, new int[] {amid, sub, gate, err});
        REQUIRED.put(GateCommand.GATE_DELETE, new int[] {amid, sub, gate});
        REQUIRED.put(GateCommand.GATE_DELETE_ACK, new int[] {amid, sub, gate});
        REQUIRED.put(GateCommand.GATE_DELETE_ERR, new int[] {amid, sub, gate, err});
        REQUIRED.put(GateCommand.GATE_REPORT_STATE, new int[] {amid, sub, gate, PcmmObject.S_GATE_STATE});
        REQUIRED.put(GateCommand.GATE_CMD_ERR, new int[] {amid, err});
        REQUIRED.put(GateCommand.PDP_CONFIG, new int[] {amid});
        REQUIRED.put(GateCommand.PDP_CONFIG_ACK, new int[] {amid});
        REQUIRED.put(GateCommand.PDP_CONFIG_ERR, new int[] {amid, err});
        REQUIRED.put(GateCommand.SYNCH_REQUEST, new int[] {amid, PcmmObject.S_SYNCH_OPTIONS});
        REQUIRED.put(GateCommand.SYNCH_REPORT, new int[] {amid, sub, gate});
        REQUIRED.put(GateCommand.SYNCH_COMPLETE, new int[] {amid});
        REQUIRED.put(GateCommand.MSG_RECEIPT, new int[] {amid, PcmmObject.S_MSG_RECEIPT_KEY});
    }

    private PcmmCodec() {
    }

    /** The wire bytes of a command: its TransactionID, then its objects. */
    public static byte[] encode(PcmmCommand command) {
        ByteBuf b = Unpooled.buffer(command.length());
        write(command.transactionId(), b);
        command.objects().forEach(o -> write(o, b));
        return ByteBufUtil.getBytes(b);
    }

    /** The wire bytes of objects outside a command (a Version Info in an OPN). */
    public static byte[] encode(List<? extends PcmmObject> objects) {
        ByteBuf b = Unpooled.buffer();
        objects.forEach(o -> write(o, b));
        return ByteBufUtil.getBytes(b);
    }

    private static void write(PcmmObject o, ByteBuf out) {
        out.writeShort(o.encodedLength()).writeByte(o.sNum()).writeByte(o.sType());
        o.encodeContents(out);
    }

    /** Decodes a gate control message; never throws. */
    public static PcmmDecoded decode(byte[] data) {
        Object objects = decodeObjects(data);
        if (objects instanceof PcmmFault f) {
            return f;
        }
        @SuppressWarnings("unchecked")
        List<PcmmObject> list = (List<PcmmObject>) objects;
        if (list.isEmpty() || !(list.get(0) instanceof PcmmObject.TransactionId tid)) {
            return fault(PcmmErrorCode.MISSING_REQUIRED_OBJECT, PcmmObject.S_TRANSACTION_ID << 8 | 1,
                    "the block does not start with a TransactionID", -1, null);
        }
        List<PcmmObject> body = list.subList(1, list.size());
        if (body.stream().anyMatch(PcmmObject.TransactionId.class::isInstance)) {
            return fault(PcmmErrorCode.INVALID_OBJECT, PcmmObject.S_TRANSACTION_ID << 8 | 1, "a second TransactionID", tid.id(),
                    tid.command());
        }
        for (int sNum : REQUIRED.get(tid.command())) {
            if (body.stream().noneMatch(o -> o.sNum() == sNum)) {
                return fault(PcmmErrorCode.MISSING_REQUIRED_OBJECT, sNum << 8 | 1,
                        tid.command().specName() + " without the object of S-Num " + sNum, tid.id(), tid.command());
            }
        }
        return new PcmmCommand(tid, body);
    }

    /**
     * Decodes objects without command rules (an OPN's ClientSI).
     *
     * @return the objects in wire order, or a {@link PcmmFault}
     */
    public static Object decodeObjects(byte[] data) {
        ByteBuf b = Unpooled.wrappedBuffer(data);
        List<PcmmObject> out = new ArrayList<>();
        int offset = 0;
        while (offset < data.length) {
            int remaining = data.length - offset;
            if (remaining < PcmmObject.HEADER_LENGTH) {
                return fault(PcmmErrorCode.INVALID_OBJECT, 0, remaining + " trailing bytes at offset " + offset, tidOf(out), cmdOf(out));
            }
            int len = b.getUnsignedShort(offset);
            int sNum = b.getUnsignedByte(offset + 2);
            int sType = b.getUnsignedByte(offset + 3);
            if (len < PcmmObject.HEADER_LENGTH || len % 4 != 0 || len > remaining) {
                return fault(PcmmErrorCode.INVALID_OBJECT, sNum << 8 | sType, "object S-Num " + sNum + " S-Type " + sType + " at offset "
                        + offset + " has Length " + len + " (" + remaining + " bytes remain, lengths are multiples of 4)",
                        tidOf(out), cmdOf(out));
            }
            ByteBuf c = b.slice(offset + PcmmObject.HEADER_LENGTH, len - PcmmObject.HEADER_LENGTH);
            Object o;
            try {
                o = object(sNum, sType, c);
            } catch (CopsException e) {
                o = new Bad(PcmmErrorCode.INVALID_FIELD_VALUE, e.getMessage());
            }
            if (o instanceof Bad bad) {
                if (bad.code == PcmmErrorCode.UNKNOWN_GATE_COMMAND) {
                    return fault(bad.code, 0, bad.reason, c.getUnsignedShort(0), null);
                }
                return fault(bad.code, sNum << 8 | sType, bad.reason + " (S-Num " + sNum + " S-Type " + sType + " at offset " + offset + ")",
                        tidOf(out), cmdOf(out));
            }
            out.add((PcmmObject) o);
            offset += len;
        }
        return out;
    }

    private static int tidOf(List<PcmmObject> seen) {
        return !seen.isEmpty() && seen.get(0) instanceof PcmmObject.TransactionId t ? t.id() : -1;
    }

    private static GateCommand cmdOf(List<PcmmObject> seen) {
        return !seen.isEmpty() && seen.get(0) instanceof PcmmObject.TransactionId t ? t.command() : null;
    }

    private static PcmmFault fault(PcmmErrorCode code, int subcode, String reason, int tid, GateCommand command) {
        return new PcmmFault(new PcmmObject.PacketCableError(code, subcode), reason, tid, command);
    }

    private record Bad(PcmmErrorCode code, String reason) {
    }

    private static Bad invalid(String reason) {
        return new Bad(PcmmErrorCode.INVALID_OBJECT, reason);
    }

    private static Object fixed(int len, int expected, String name, java.util.function.Supplier<Object> make) {
        return len == expected ? make.get() : invalid(name + " of " + len + " bytes (expected " + expected + ")");
    }

    private static Object object(int sNum, int sType, ByteBuf c) {
        int len = c.readableBytes();
        switch (sNum) {
            case PcmmObject.S_TRANSACTION_ID -> {
                if (sType != 1) {
                    break;
                }
                if (len != 4) {
                    return invalid("TransactionID of " + len + " bytes");
                }
                GateCommand command = GateCommand.of(c.getUnsignedShort(2));
                if (command == null) {
                    return new Bad(PcmmErrorCode.UNKNOWN_GATE_COMMAND, "unknown Gate Command Type " + c.getUnsignedShort(2));
                }
                return new PcmmObject.TransactionId(c.getUnsignedShort(0), command);
            }
            case PcmmObject.S_AMID -> {
                if (sType == 1) {
                    return fixed(len, 4, "AMID", () -> new PcmmObject.Amid(c.getUnsignedShort(0), c.getUnsignedShort(2)));
                }
            }
            case PcmmObject.S_SUBSCRIBER_ID -> {
                if (sType == 1) {
                    return fixed(len, 4, "SubscriberID (IPv4)", () -> new PcmmObject.SubscriberId(v4(c, 0)));
                }
                if (sType == 2) {
                    return fixed(len, 16, "SubscriberID (IPv6)", () -> new PcmmObject.SubscriberId(v6(c, 0)));
                }
            }
            case PcmmObject.S_GATE_ID -> {
                if (sType == 1) {
                    return fixed(len, 4, "GateID", () -> new PcmmObject.GateId(c.getUnsignedInt(0)));
                }
            }
            case PcmmObject.S_GATE_SPEC -> {
                if (sType == 1) {
                    return fixed(len, 12, "GateSpec", () -> gateSpec(c));
                }
            }
            case PcmmObject.S_CLASSIFIER -> {
                switch (sType) {
                    case 1 -> {
                        return fixed(len, 20, "Classifier", () -> new Classifier.Legacy(c.getUnsignedShort(0), c.getUnsignedByte(2),
                                c.getUnsignedByte(3), v4(c, 4), v4(c, 8), c.getUnsignedShort(12), c.getUnsignedShort(14),
                                c.getUnsignedByte(16)));
                    }
                    case 2 -> {
                        return fixed(len, 36, "Extended Classifier", () -> new Classifier.Extended(c.getUnsignedShort(0),
                                c.getUnsignedByte(2), c.getUnsignedByte(3), v4(c, 4), v4(c, 8), v4(c, 12), v4(c, 16),
                                c.getUnsignedShort(20), c.getUnsignedShort(22), c.getUnsignedShort(24), c.getUnsignedShort(26),
                                c.getUnsignedShort(28), c.getUnsignedByte(30), c.getUnsignedByte(31), c.getUnsignedByte(32)));
                    }
                    case 3 -> {
                        return fixed(len, 60, "IPv6 Classifier", () -> new Classifier.Ipv6(c.getUnsignedByte(0), c.getUnsignedByte(1),
                                c.getUnsignedByte(2), c.getUnsignedByte(3), c.getUnsignedInt(4), c.getUnsignedShort(8),
                                c.getUnsignedByte(10), c.getUnsignedByte(11), v6(c, 12), v6(c, 28), c.getUnsignedShort(44),
                                c.getUnsignedShort(46), c.getUnsignedShort(48), c.getUnsignedShort(50), c.getUnsignedShort(52),
                                c.getUnsignedByte(54), c.getUnsignedByte(55), c.getUnsignedByte(56)));
                    }
                    default -> {
                        return invalid("unknown Classifier S-Type " + sType);
                    }
                }
            }
            case PcmmObject.S_TRAFFIC_PROFILE -> {
                return trafficProfile(sType, c);
            }
            case PcmmObject.S_EVENT_GENERATION_INFO -> {
                if (sType == 1) {
                    return fixed(len, 40, "Event Generation Info", () -> new PcmmObject.EventGenerationInfo(v4(c, 0),
                            c.getUnsignedShort(4), v4(c, 8), c.getUnsignedShort(12), c.getUnsignedInt(16), text(c, 20, 8),
                            text(c, 28, 8), c.getUnsignedInt(36)));
                }
            }
            case PcmmObject.S_VOLUME_BASED_USAGE_LIMIT -> {
                if (sType == 1) {
                    return fixed(len, 8, "Volume-Based Usage Limit", () -> new PcmmObject.VolumeBasedUsageLimit(c.getLong(0)));
                }
            }
            case PcmmObject.S_TIME_BASED_USAGE_LIMIT -> {
                if (sType == 1) {
                    return fixed(len, 4, "Time-Based Usage Limit", () -> new PcmmObject.TimeBasedUsageLimit(c.getUnsignedInt(0)));
                }
            }
            case PcmmObject.S_OPAQUE_DATA -> {
                if (sType == 1) {
                    return len == 0 ? invalid("empty Opaque Data") : new PcmmObject.OpaqueData(ByteBufUtil.getBytes(c));
                }
            }
            case PcmmObject.S_GATE_TIME_INFO -> {
                if (sType == 1) {
                    return fixed(len, 4, "Gate Time Info", () -> new PcmmObject.GateTimeInfo(c.getUnsignedInt(0)));
                }
            }
            case PcmmObject.S_GATE_USAGE_INFO -> {
                if (sType == 1) {
                    return fixed(len, 8, "Gate Usage Info", () -> new PcmmObject.GateUsageInfo(c.getLong(0)));
                }
            }
            case PcmmObject.S_PACKETCABLE_ERROR -> {
                if (sType == 1) {
                    return fixed(len, 4, "PacketCable Error", () -> new PcmmObject.PacketCableError(c.getUnsignedShort(0),
                            c.getUnsignedShort(2)));
                }
            }
            case PcmmObject.S_GATE_STATE -> {
                if (sType == 1) {
                    return fixed(len, 4, "Gate State", () -> {
                        GateStateValue state = GateStateValue.of(c.getUnsignedShort(0));
                        return state == null ? new Bad(PcmmErrorCode.INVALID_FIELD_VALUE, "Gate State " + c.getUnsignedShort(0))
                                : new PcmmObject.GateState(state, c.getUnsignedShort(2));
                    });
                }
            }
            case PcmmObject.S_VERSION_INFO -> {
                if (sType == 1) {
                    return fixed(len, 4, "Version Info", () -> new PcmmObject.VersionInfo(c.getUnsignedShort(0), c.getUnsignedShort(2)));
                }
            }
            case PcmmObject.S_PSID -> {
                if (sType == 1) {
                    return fixed(len, 4, "PSID", () -> new PcmmObject.Psid(c.getUnsignedInt(0)));
                }
            }
            case PcmmObject.S_SYNCH_OPTIONS -> {
                if (sType == 1) {
                    return fixed(len, 4, "Synch Options", () -> new PcmmObject.SynchOptions(c.getUnsignedByte(2), c.getUnsignedByte(3)));
                }
            }
            case PcmmObject.S_MSG_RECEIPT_KEY -> {
                if (sType == 1) {
                    return fixed(len, 4, "Msg Receipt Key", () -> new PcmmObject.MsgReceiptKey(c.getUnsignedInt(0)));
                }
            }
            case PcmmObject.S_USER_ID -> {
                if (sType == 1) {
                    String name = text(c, 0, len);
                    return name.isEmpty() ? invalid("empty UserID") : new PcmmObject.UserId(name);
                }
            }
            case PcmmObject.S_SHARED_RESOURCE_ID -> {
                if (sType == 1) {
                    return fixed(len, 4, "SharedResourceID", () -> new PcmmObject.SharedResourceId(c.getUnsignedInt(0)));
                }
            }
            default -> {
                return invalid("unknown S-Num " + sNum);
            }
        }
        return invalid("unknown S-Type " + sType + " for S-Num " + sNum);
    }

    private static Object gateSpec(ByteBuf c) {
        int flags = c.getUnsignedByte(0);
        if ((flags & ~(GateSpec.FLAG_UPSTREAM | GateSpec.FLAG_DSCP_OVERWRITE)) != 0) {
            return new Bad(PcmmErrorCode.INVALID_FIELD_VALUE, "GateSpec flags 0x" + Integer.toHexString(flags) + " set reserved bits");
        }
        return new GateSpec((flags & GateSpec.FLAG_UPSTREAM) != 0 ? GateSpec.Direction.UPSTREAM : GateSpec.Direction.DOWNSTREAM,
                (flags & GateSpec.FLAG_DSCP_OVERWRITE) != 0, c.getUnsignedByte(1), c.getUnsignedByte(2),
                GateSpec.SessionClassId.of(c.getUnsignedByte(3)), c.getUnsignedShort(4), c.getUnsignedShort(6), c.getUnsignedShort(8),
                c.getUnsignedShort(10));
    }

    private static Object trafficProfile(int sType, ByteBuf c) {
        int len = c.readableBytes();
        if (len < 4) {
            return invalid("Traffic Profile of " + len + " bytes");
        }
        int envelope = c.getUnsignedByte(0);
        int block = switch (sType) {
            case 1 -> TrafficProfile.FlowSpec.BLOCK;
            case 3 -> TrafficProfile.BestEffort.BLOCK;
            case 5 -> TrafficProfile.RealTimePolling.BLOCK;
            case 6 -> TrafficProfile.UnsolicitedGrant.BLOCK;
            case 8 -> TrafficProfile.DownstreamService.BLOCK;
            default -> 0;
        };
        if (sType == 4 || sType == 7 || sType == 9) {
            return new TrafficProfile.Carried(sType, ByteBufUtil.getBytes(c));
        }
        if (sType == 2) {
            return serviceClassName(envelope, c);
        }
        if (block == 0) {
            return invalid("unknown Traffic Profile S-Type " + sType);
        }
        if (!TrafficProfile.validEnvelope(envelope)) {
            return new Bad(PcmmErrorCode.INVALID_FIELD_VALUE, "Envelope " + envelope + " (must be 1, 3 or 7)");
        }
        int blocks = Integer.bitCount(envelope);
        if (len != 4 + block * blocks) {
            return invalid("Traffic Profile S-Type " + sType + " with Envelope " + envelope + " has " + len + " bytes (expected "
                    + (4 + block * blocks) + ", the I05+ layout)");
        }
        return switch (sType) {
            case 1 -> {
                List<TrafficProfile.FlowSpec.Envelope> e = new ArrayList<>();
                for (int i = 0, at = 4; i < blocks; i++, at += block) {
                    e.add(new TrafficProfile.FlowSpec.Envelope(c.getFloat(at), c.getFloat(at + 4), c.getFloat(at + 8),
                            c.getUnsignedInt(at + 12), c.getUnsignedInt(at + 16), c.getFloat(at + 20), c.getUnsignedInt(at + 24)));
                }
                yield new TrafficProfile.FlowSpec(envelope, c.getUnsignedByte(1), e);
            }
            case 3 -> {
                List<TrafficProfile.BestEffort.Envelope> e = new ArrayList<>();
                for (int i = 0, at = 4; i < blocks; i++, at += block) {
                    e.add(new TrafficProfile.BestEffort.Envelope(c.getUnsignedByte(at), c.getUnsignedInt(at + 4), c.getUnsignedInt(at + 8),
                            c.getUnsignedInt(at + 12), c.getUnsignedInt(at + 16), c.getUnsignedShort(at + 20), c.getUnsignedShort(at + 22),
                            c.getUnsignedInt(at + 24), c.getUnsignedInt(at + 28), c.getUnsignedInt(at + 32)));
                }
                yield new TrafficProfile.BestEffort(envelope, e);
            }
            case 5 -> {
                List<TrafficProfile.RealTimePolling.Envelope> e = new ArrayList<>();
                for (int i = 0, at = 4; i < blocks; i++, at += block) {
                    e.add(new TrafficProfile.RealTimePolling.Envelope(c.getUnsignedInt(at), c.getUnsignedInt(at + 4),
                            c.getUnsignedInt(at + 8), c.getUnsignedInt(at + 12), c.getUnsignedShort(at + 16), c.getUnsignedShort(at + 18),
                            c.getUnsignedInt(at + 20), c.getUnsignedInt(at + 24), c.getUnsignedInt(at + 28), c.getUnsignedInt(at + 32),
                            c.getUnsignedInt(at + 36)));
                }
                yield new TrafficProfile.RealTimePolling(envelope, e);
            }
            case 6 -> {
                List<TrafficProfile.UnsolicitedGrant.Envelope> e = new ArrayList<>();
                for (int i = 0, at = 4; i < blocks; i++, at += block) {
                    e.add(new TrafficProfile.UnsolicitedGrant.Envelope(c.getUnsignedInt(at), c.getUnsignedShort(at + 4),
                            c.getUnsignedByte(at + 6), c.getUnsignedInt(at + 8), c.getUnsignedInt(at + 12), c.getUnsignedInt(at + 16),
                            c.getUnsignedInt(at + 20), c.getUnsignedInt(at + 24)));
                }
                yield new TrafficProfile.UnsolicitedGrant(envelope, e);
            }
            default -> {
                List<TrafficProfile.DownstreamService.Envelope> e = new ArrayList<>();
                for (int i = 0, at = 4; i < blocks; i++, at += block) {
                    e.add(new TrafficProfile.DownstreamService.Envelope(c.getUnsignedByte(at), c.getUnsignedByte(at + 1),
                            c.getUnsignedInt(at + 4), c.getUnsignedInt(at + 8), c.getUnsignedInt(at + 12), c.getUnsignedShort(at + 16),
                            c.getUnsignedInt(at + 20), c.getUnsignedInt(at + 24), c.getUnsignedInt(at + 28), c.getUnsignedInt(at + 32),
                            c.getUnsignedInt(at + 36)));
                }
                yield new TrafficProfile.DownstreamService(envelope, e);
            }
        };
    }

    private static Object serviceClassName(int envelope, ByteBuf c) {
        int len = c.readableBytes();
        if (len < 8) {
            return invalid("Service Class Name of " + len + " bytes");
        }
        int nul = c.indexOf(4, len, (byte) 0);
        if (nul < 0) {
            return new Bad(PcmmErrorCode.INVALID_FIELD_VALUE, "Service Class Name is not NUL-terminated");
        }
        for (int i = nul; i < len; i++) {
            if (c.getByte(i) != 0) {
                return new Bad(PcmmErrorCode.INVALID_FIELD_VALUE, "Service Class Name has bytes after its NUL");
            }
        }
        return new TrafficProfile.ServiceClassName(envelope, c.toString(4, nul - 4, StandardCharsets.US_ASCII));
    }

    /** ASCII text in a fixed field, without its trailing NUL bytes. */
    private static String text(ByteBuf c, int at, int width) {
        int end = at + width;
        while (end > at && c.getByte(end - 1) == 0) {
            end--;
        }
        return c.toString(at, end - at, StandardCharsets.US_ASCII);
    }

    private static Inet4Address v4(ByteBuf c, int at) {
        byte[] a = new byte[4];
        c.getBytes(at, a);
        try {
            return (Inet4Address) InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }

    private static Inet6Address v6(ByteBuf c, int at) {
        byte[] a = new byte[16];
        c.getBytes(at, a);
        try {
            return Inet6Address.getByAddress(null, a, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }
}
