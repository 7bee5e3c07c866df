package org.arbiter.diameter.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one complete frame into a {@link DiameterMessage} or an {@link InvalidMessage}; never
 * throws for any input. Checks, in this order: header (version 5011, length 5015, reserved or
 * contradictory bits 3008), then each AVP: length (5014), padding (5014), reserved flag bits
 * (3009), unknown AVPs with the M bit in requests (5001), the data against the dictionary's
 * format (5014 for a wrong fixed length, 5004 for bad UTF-8 or address family), and Grouped
 * AVPs recursively. The first fault wins.
 */
final class FrameParser {

    /** Nested Grouped AVPs deeper than this are refused (5004): no input may exhaust the stack. */
    static final int MAX_DEPTH = 16;

    private static final int RESERVED_HEADER_BITS = 0x0F;
    private static final int RESERVED_AVP_BITS = 0x1F;

    private FrameParser() {}

    private record Fault(int code, Avp avp, String reason) {}

    /** Parses {@code frame}, which holds at least the 20 header bytes. */
    static Object parse(ByteBuf frame, Dictionary dict) {
        int total = frame.readableBytes();
        int version = frame.readUnsignedByte();
        int length = frame.readUnsignedMedium();
        int flags = frame.readUnsignedByte();
        int cmd = frame.readUnsignedMedium();
        long app = frame.readUnsignedInt();
        int hbh = frame.readInt();
        int e2e = frame.readInt();
        if (version != 1) {
            return new InvalidMessage(ProtocolResult.DIAMETER_UNSUPPORTED_VERSION.code(), null,
                    "unsupported version " + version, true, flags, cmd, app, hbh, e2e, List.of());
        }
        if (length != total || length % 4 != 0 || length < DiameterMessage.HEADER_LENGTH) {
            return new InvalidMessage(ProtocolResult.DIAMETER_INVALID_MESSAGE_LENGTH.code(), null,
                    "Message Length " + length + " (frame has " + total + " bytes; must be >= 20 and a multiple of 4)",
                    true, flags, cmd, app, hbh, e2e, List.of());
        }
        boolean request = (flags & DiameterMessage.FLAG_REQUEST) != 0;
        if ((flags & RESERVED_HEADER_BITS) != 0) {
            return new InvalidMessage(ProtocolResult.DIAMETER_INVALID_HDR_BITS.code(), null,
                    "reserved command flag bits set: 0x" + Integer.toHexString(flags), false, flags, cmd, app, hbh, e2e, List.of());
        }
        if (request && (flags & DiameterMessage.FLAG_ERROR) != 0) {
            return new InvalidMessage(ProtocolResult.DIAMETER_INVALID_HDR_BITS.code(), null,
                    "request with the E bit set", false, flags, cmd, app, hbh, e2e, List.of());
        }
        List<Avp> avps = new ArrayList<>();
        Fault fault = parseAvps(frame, frame.readerIndex() + length - DiameterMessage.HEADER_LENGTH, dict, request, avps, 0);
        if (fault != null) {
            return new InvalidMessage(fault.code, fault.avp, fault.reason, false, flags, cmd, app, hbh, e2e, avps);
        }
        return new DiameterMessage(flags, cmd, app, hbh, e2e, avps);
    }

    private static Fault parseAvps(ByteBuf b, int end, Dictionary dict, boolean request, List<Avp> out, int depth) {
        while (b.readerIndex() < end) {
            int remaining = end - b.readerIndex();
            if (remaining < 8) {
                int code = remaining >= 4 ? b.getInt(b.readerIndex()) : 0;
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), Avp.wrap(code, 0, 0, new byte[0]),
                        "truncated AVP header (" + remaining + " bytes left)");
            }
            int code = b.readInt();
            int flags = b.readUnsignedByte();
            int len = b.readUnsignedMedium();
            boolean vendor = (flags & Avp.FLAG_VENDOR) != 0;
            int hdr = vendor ? 12 : 8;
            if (len < hdr) {
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), Avp.wrap(code, flags & ~Avp.FLAG_VENDOR, 0, new byte[0]),
                        "AVP " + code + " length " + len + " is shorter than its header (" + hdr + ")");
            }
            if (len > remaining) {
                int vid = vendor && remaining >= 12 ? b.getInt(b.readerIndex()) : 0;
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), Avp.wrap(code, vid == 0 ? flags & ~Avp.FLAG_VENDOR : flags, vid, new byte[0]),
                        "AVP " + code + " length " + len + " runs past the end of its container (" + remaining + " bytes left)");
            }
            int vendorId = vendor ? b.readInt() : 0;
            byte[] data = new byte[len - hdr];
            b.readBytes(data);
            Avp avp = Avp.wrap(code, flags, vendorId, data);
            int pad = ((len + 3) & ~3) - len;
            if (pad > end - b.readerIndex()) {
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), avp,
                        "AVP " + code + " is not padded to a multiple of 4");
            }
            for (int i = 0; i < pad; i++) {
                if (b.readByte() != 0) {
                    return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), avp,
                            "AVP " + code + " has non-zero padding (its length field is wrong)");
                }
            }
            if ((flags & RESERVED_AVP_BITS) != 0) {
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_BITS.code(), avp,
                        "AVP " + code + " has reserved flag bits set: 0x" + Integer.toHexString(flags));
            }
            AvpDef def = dict.avp(code, vendorId);
            if (def == null) {
                if (request && (flags & Avp.FLAG_MANDATORY) != 0) {
                    return new Fault(ProtocolResult.DIAMETER_AVP_UNSUPPORTED.code(), avp,
                            "unknown AVP " + code + (vendorId != 0 ? "/" + Integer.toUnsignedString(vendorId) : "") + " with the M bit");
                }
                out.add(avp);
                continue;
            }
            Fault f = checkData(def, avp, data, dict, request, depth);
            if (f != null) {
                return f;
            }
            out.add(avp);
        }
        return null;
    }

    private static Fault checkData(AvpDef def, Avp avp, byte[] data, Dictionary dict, boolean request, int depth) {
        AvpType t = def.type();
        if (t.fixedLength() >= 0 && data.length != t.fixedLength()) {
            return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), avp,
                    def.name() + " is " + t.specName() + " (" + t.fixedLength() + " bytes), has " + data.length);
        }
        if (t == AvpType.ADDRESS) {
            if (data.length < 2) {
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), avp, def.name() + " has no address family");
            }
            int family = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
            int need = family == 1 ? 6 : family == 2 ? 18 : -1;
            if (need < 0) {
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_VALUE.code(), avp, def.name() + " has address family " + family + " (1 or 2 allowed)");
            }
            if (data.length != need) {
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), avp, def.name() + " family " + family + " needs " + need + " bytes, has " + data.length);
            }
        }
        if (t.text() && !validUtf8(data)) {
            return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_VALUE.code(), avp, def.name() + " is not valid UTF-8");
        }
        if (t == AvpType.GROUPED) {
            if (depth >= MAX_DEPTH) {
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_VALUE.code(), avp, def.name() + " nests deeper than " + MAX_DEPTH);
            }
            return parseAvps(Unpooled.wrappedBuffer(data), data.length, dict, request, new ArrayList<>(), depth + 1);
        }
        return null;
    }

    private static boolean validUtf8(byte[] data) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
