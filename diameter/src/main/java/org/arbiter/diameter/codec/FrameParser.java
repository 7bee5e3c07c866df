package org.arbiter.diameter.codec;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one complete frame into a {@link DiameterMessage} or an {@link InvalidMessage}; never
 * throws for any input. Checks, in this order: header (version 5011, length 5015, reserved or
 * contradictory bits 3008), then each AVP: length (5014), padding (5014), reserved flag bits
 * (3009), unknown AVPs with the M bit in requests (5001), the data against the dictionary's
 * format (5014 for a wrong fixed length, 5004 for bad UTF-8 or address family), and Grouped
 * AVPs recursively. The first fault wins.
 *
 * <p>The AVPs inside a Failed-AVP (RFC 6733 §7.5) are the ones a peer refused, reported back as
 * they were: their data are not checked, and one whose inner AVPs do not parse is kept whole.
 * Only their framing (lengths and padding) must hold, as for any AVP.
 */
final class FrameParser {

    /** Nested Grouped AVPs deeper than this are refused (5004): no input may exhaust the stack. */
    static final int MAX_DEPTH = 16;
    /** The AVP whose inner AVPs are reported as a peer received them (RFC 6733 §7.5). */
    private static final String FAILED_AVP = "Failed-AVP";

    private static final int RESERVED_HEADER_BITS = 0x0F;
    private static final int RESERVED_AVP_BITS = 0x1F;
    /** Eight bytes at a time, for the ASCII fast path of {@link #validUtf8}. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
        byte[] body = new byte[length - DiameterMessage.HEADER_LENGTH];
        frame.readBytes(body);
        List<Avp> avps = new ArrayList<>(expectedAvps(body.length));
        Fault fault = parseAvps(body, 0, body.length, dict, request, avps, 0, false);
        if (fault != null) {
            return new InvalidMessage(fault.code, fault.avp, fault.reason, false, flags, cmd, app, hbh, e2e, avps);
        }
        return new DiameterMessage(flags, cmd, app, hbh, e2e, avps);
    }

    /** A capacity for the AVPs of {@code bytes} bytes that rarely needs to grow (16 bytes an AVP, at most 64). */
    private static int expectedAvps(int bytes) {
        return Math.min(64, Math.max(4, bytes / 16));
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    /**
     * Parses the AVPs in {@code b[pos .. end)} into {@code out}; the AVPs share {@code b}.
     *
     * @param reported inside a Failed-AVP: data not checked, a Grouped AVP that does not parse kept whole
     */
    private static Fault parseAvps(byte[] b, int pos, int end, Dictionary dict, boolean request, List<Avp> out, int depth,
                                   boolean reported) {
        while (pos < end) {
            int remaining = end - pos;
            if (remaining < 8) {
                int code = remaining >= 4 ? int32(b, pos) : 0;
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), Avp.wrap(code, 0, 0, new byte[0]),
                        "truncated AVP header (" + remaining + " bytes left)");
            }
            int code = int32(b, pos);
            int flags = b[pos + 4] & 0xFF;
            int len = ((b[pos + 5] & 0xFF) << 16) | ((b[pos + 6] & 0xFF) << 8) | (b[pos + 7] & 0xFF);
            pos += 8;
            boolean vendor = (flags & Avp.FLAG_VENDOR) != 0;
            int hdr = vendor ? 12 : 8;
            if (len < hdr) {
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), Avp.wrap(code, flags & ~Avp.FLAG_VENDOR, 0, new byte[0]),
                        "AVP " + code + " length " + len + " is shorter than its header (" + hdr + ")");
            }
            if (len > remaining) {
                int vid = vendor && remaining >= 12 ? int32(b, pos) : 0;
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), Avp.wrap(code, vid == 0 ? flags & ~Avp.FLAG_VENDOR : flags, vid, new byte[0]),
                        "AVP " + code + " length " + len + " runs past the end of its container (" + remaining + " bytes left)");
            }
            int vendorId = 0;
            if (vendor) {
                vendorId = int32(b, pos);
                pos += 4;
            }
            int dataAt = pos;
            int dataLength = len - hdr;
            pos += dataLength;
            Avp avp = Avp.wrap(code, flags, vendorId, b, dataAt, dataLength);
            int pad = ((len + 3) & ~3) - len;
            if (pad > end - pos) {
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), avp,
                        "AVP " + code + " is not padded to a multiple of 4");
            }
            for (int i = 0; i < pad; i++) {
                if (b[pos++] != 0) {
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
                if (request && !reported && (flags & Avp.FLAG_MANDATORY) != 0) {
                    return new Fault(ProtocolResult.DIAMETER_AVP_UNSUPPORTED.code(), avp,
                            "unknown AVP " + code + (vendorId != 0 ? "/" + Integer.toUnsignedString(vendorId) : "") + " with the M bit");
                }
                out.add(avp);
                continue;
            }
            if (reported) {
                if (def.type() == AvpType.GROUPED && depth < MAX_DEPTH) {
                    List<Avp> children = new ArrayList<>(expectedAvps(dataLength));
                    if (parseAvps(b, dataAt, dataAt + dataLength, dict, request, children, depth + 1, true) == null) {
                        avp = avp.withParsedChildren(children);
                    }
                }
                out.add(avp);
                continue;
            }
            Fault f = checkData(def, avp, b, dataAt, dataLength, dict, request, depth);
            if (f != null) {
                return f;
            }
            if (def.type() == AvpType.GROUPED) {
                List<Avp> children = new ArrayList<>(expectedAvps(dataLength));
                f = parseAvps(b, dataAt, dataAt + dataLength, dict, request, children, depth + 1, def.name().equals(FAILED_AVP));
                if (f != null) {
                    return f;
                }
                avp = avp.withParsedChildren(children);
            }
            out.add(avp);
        }
        return null;
    }

    /** Checks the data of a known AVP against its format; Grouped AVPs only for their depth. */
    private static Fault checkData(AvpDef def, Avp avp, byte[] b, int at, int length, Dictionary dict, boolean request, int depth) {
        AvpType t = def.type();
        if (t.fixedLength() >= 0 && length != t.fixedLength()) {
            return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), avp,
                    def.name() + " is " + t.specName() + " (" + t.fixedLength() + " bytes), has " + length);
        }
        if (t == AvpType.ADDRESS) {
            if (length < 2) {
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), avp, def.name() + " has no address family");
            }
            int family = ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
            int need = family == 1 ? 6 : family == 2 ? 18 : -1;
            if (need < 0) {
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_VALUE.code(), avp, def.name() + " has address family " + family + " (1 or 2 allowed)");
            }
            if (length != need) {
                return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_LENGTH.code(), avp, def.name() + " family " + family + " needs " + need + " bytes, has " + length);
            }
        }
        if (t.text() && !validUtf8(b, at, at + length)) {
            return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_VALUE.code(), avp, def.name() + " is not valid UTF-8");
        }
        if (t == AvpType.GROUPED && depth >= MAX_DEPTH) {
            return new Fault(ProtocolResult.DIAMETER_INVALID_AVP_VALUE.code(), avp, def.name() + " nests deeper than " + MAX_DEPTH);
        }
        return null;
    }

    /**
     * Well-formed UTF-8 (RFC 3629 §4): no overlong forms, no surrogates, nothing above U+10FFFF;
     * the same bytes the JDK's strict decoder accepts.
     */
    static boolean validUtf8(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            if (to - i >= 8 && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
                i += 8;
                continue;
            }
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                if (c == 0xE0) {
                    lo = 0xA0;
                } else if (c == 0xED) {
                    hi = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                if (c == 0xF0) {
                    lo = 0x90;
                } else if (c == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                return false;
            }
            if (to - i <= n) {
                return false;
            }
            int c1 = b[i + 1] & 0xFF;
            if (c1 < lo || c1 > hi) {
                return false;
            }
            for (int k = 2; k <= n; k++) {
                int ck = b[i + k] & 0xFF;
                if (ck < 0x80 || ck > 0xBF) {
                    return false;
                }
            }
            i += n + 1;
        }
        return true;
    }
}
