package org.arbiter.diameter.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One AVP (RFC 6733 §4.1): code, flags, vendor and the data bytes, without padding.
 *
 * <p>Immutable. The typed factories encode a value with the format of its {@link AvpDef}; the
 * typed accessors read it back. The decoder has already checked the data of every AVP it knows
 * against its format, so an accessor on a decoded AVP fails only when it is called with the wrong
 * type, a programming error reported with {@link IllegalStateException}. A decoded AVP shares the
 * bytes of its frame (copied once per frame by the decoder) instead of owning a copy; a decoded
 * Grouped AVP keeps the inner AVPs the decoder checked, and {@link #children()} returns them.
 * Grouped AVPs built here keep their inner AVPs encoded; {@link #children()} decodes them.
 */
public final class Avp {

    /** The V (vendor-specific) flag. */
    public static final int FLAG_VENDOR = 0x80;
    /** The M (mandatory) flag. */
    public static final int FLAG_MANDATORY = 0x40;
    /** The P flag, reserved for end-to-end security. */
    public static final int FLAG_PROTECTED = 0x20;

    /** Seconds from the NTP epoch (1900-01-01) to the Unix epoch. */
    private static final long NTP_OFFSET = 2_208_988_800L;

    private final int code;
    private final int flags;
    private final int vendorId;
    /** The data are {@code buf[off .. off + len)}; {@code buf} is never written after construction. */
    private final byte[] buf;
    private final int off;
    private final int len;
    /** The checked inner AVPs of a decoded Grouped AVP, or {@code null}. */
    private final List<Avp> parsedChildren;

    /** An AVP from its parts; {@code data} is copied. The V flag is set when {@code vendorId != 0}. */
    public Avp(int code, int flags, int vendorId, byte[] data) {
        this(data.clone(), 0, data.length, code, vendorId != 0 ? flags | FLAG_VENDOR : flags & ~FLAG_VENDOR, vendorId, null);
    }

    private Avp(byte[] buf, int off, int len, int code, int flags, int vendorId, List<Avp> parsedChildren) {
        this.code = code;
        this.flags = flags & 0xFF;
        this.vendorId = vendorId;
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.parsedChildren = parsedChildren;
    }

    static Avp wrap(int code, int flags, int vendorId, byte[] data) {
        return new Avp(data, 0, data.length, code, flags, vendorId, null);
    }

    /** An AVP whose data are {@code buf[off .. off + len)}, shared, not copied. */
    static Avp wrap(int code, int flags, int vendorId, byte[] buf, int off, int len) {
        return new Avp(buf, off, len, code, flags, vendorId, null);
    }

    /** This AVP with the inner AVPs the decoder parsed and checked (Grouped only). */
    Avp withParsedChildren(List<Avp> children) {
        return new Avp(buf, off, len, code, flags, vendorId, List.copyOf(children));
    }

    // ---- factories -------------------------------------------------------------------------

    public static Avp octets(AvpDef def, byte[] value) {
        return wrap(def.code(), def.flags(), def.vendorId(), value.clone());
    }

    /** UTF8String, DiameterIdentity, DiameterURI, IPFilterRule, or OctetString holding text. */
    public static Avp utf8(AvpDef def, String value) {
        return wrap(def.code(), def.flags(), def.vendorId(), value.getBytes(StandardCharsets.UTF_8));
    }

    public static Avp integer32(AvpDef def, int value) {
        return wrap(def.code(), def.flags(), def.vendorId(), ByteBuffer.allocate(4).putInt(value).array());
    }

    /** Unsigned32 (0 .. 2^32-1) and Enumerated values. */
    public static Avp unsigned32(AvpDef def, long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(def.name() + " is Unsigned32, " + value + " is out of range");
        }
        return integer32(def, (int) value);
    }

    public static Avp enumerated(AvpDef def, int value) {
        return integer32(def, value);
    }

    public static Avp integer64(AvpDef def, long value) {
        return wrap(def.code(), def.flags(), def.vendorId(), ByteBuffer.allocate(8).putLong(value).array());
    }

    /** Unsigned64: the 64 bits of {@code value} read as unsigned. */
    public static Avp unsigned64(AvpDef def, long value) {
        return integer64(def, value);
    }

    public static Avp float32(AvpDef def, float value) {
        return wrap(def.code(), def.flags(), def.vendorId(), ByteBuffer.allocate(4).putFloat(value).array());
    }

    public static Avp float64(AvpDef def, double value) {
        return wrap(def.code(), def.flags(), def.vendorId(), ByteBuffer.allocate(8).putDouble(value).array());
    }

    /** Address: family 1 (IPv4) or 2 (IPv6) and the address bytes. */
    public static Avp address(AvpDef def, InetAddress value) {
        byte[] a = value.getAddress();
        ByteBuffer b = ByteBuffer.allocate(2 + a.length);
        b.putShort((short) (a.length == 4 ? 1 : 2)).put(a);
        return wrap(def.code(), def.flags(), def.vendorId(), b.array());
    }

    /** Time: seconds since 1900-01-01 UTC (NTP format, RFC 6733 §4.3.1). */
    public static Avp time(AvpDef def, Instant value) {
        return integer32(def, (int) (value.getEpochSecond() + NTP_OFFSET));
    }

    public static Avp grouped(AvpDef def, List<Avp> children) {
        int len = 0;
        for (Avp c : children) {
            len += c.paddedLength();
        }
        ByteBuf buf = Unpooled.buffer(len);
        for (Avp c : children) {
            c.encode(buf);
        }
        return wrap(def.code(), def.flags(), def.vendorId(), Arrays.copyOf(buf.array(), len));
    }

    public static Avp grouped(AvpDef def, Avp... children) {
        return grouped(def, List.of(children));
    }

    // ---- accessors -------------------------------------------------------------------------

    public int code() {
        return code;
    }

    public int flags() {
        return flags;
    }

    public int vendorId() {
        return vendorId;
    }

    public boolean mandatory() {
        return (flags & FLAG_MANDATORY) != 0;
    }

    public boolean vendorSpecific() {
        return (flags & FLAG_VENDOR) != 0;
    }

    /** True when this AVP has the definition's code and vendor. */
    public boolean is(AvpDef def) {
        return code == def.code() && vendorId == def.vendorId();
    }

    /** A copy of the data bytes. */
    public byte[] octets() {
        return Arrays.copyOfRange(buf, off, off + len);
    }

    /** The data length, without header and padding. */
    public int dataLength() {
        return len;
    }

    public String utf8() {
        return new String(buf, off, len, StandardCharsets.UTF_8);
    }

    public int integer32() {
        need(4);
        return ((buf[off] & 0xFF) << 24) | ((buf[off + 1] & 0xFF) << 16) | ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    }

    public long unsigned32() {
        return integer32() & 0xFFFFFFFFL;
    }

    public int enumerated() {
        return integer32();
    }

    public long integer64() {
        need(8);
        return ByteBuffer.wrap(buf, off, 8).getLong();
    }

    /** The 64 bits of an Unsigned64 (use {@link Long#toUnsignedString(long)} to print). */
    public long unsigned64() {
        return integer64();
    }

    public float float32() {
        need(4);
        return ByteBuffer.wrap(buf, off, 4).getFloat();
    }

    public double float64() {
        need(8);
        return ByteBuffer.wrap(buf, off, 8).getDouble();
    }

    public Instant time() {
        return Instant.ofEpochSecond(unsigned32() - NTP_OFFSET);
    }

    public InetAddress address() {
        int family = len >= 2 ? ((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF) : -1;
        if (!(family == 1 && len == 6) && !(family == 2 && len == 18)) {
            throw new IllegalStateException("AVP " + code + " is not an IPv4/IPv6 Address");
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(buf, off + 2, off + len));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("AVP " + code + " has a bad address", e);
        }
    }

    /** The inner AVPs of a Grouped AVP, in wire order (an unmodifiable list). */
    public List<Avp> children() {
        if (parsedChildren != null) {
            return parsedChildren;
        }
        List<Avp> out = new ArrayList<>();
        ByteBuf b = Unpooled.wrappedBuffer(buf, off, len);
        while (b.isReadable()) {
            if (b.readableBytes() < 8) {
                throw new IllegalStateException("AVP " + code + " is not a valid Grouped AVP");
            }
            int c = b.readInt();
            int f = b.readUnsignedByte();
            int l = b.readUnsignedMedium();
            int hdr = (f & FLAG_VENDOR) != 0 ? 12 : 8;
            int padded = (l + 3) & ~3;
            if (l < hdr || l - 8 > b.readableBytes()) {
                throw new IllegalStateException("AVP " + code + " is not a valid Grouped AVP");
            }
            int v = hdr == 12 ? b.readInt() : 0;
            byte[] d = new byte[l - hdr];
            b.readBytes(d);
            b.skipBytes(Math.min(padded - l, b.readableBytes()));
            out.add(wrap(c, f, v, d));
        }
        return List.copyOf(out);
    }

    /** The first child with the definition's code and vendor, or {@code null}. */
    public Avp child(AvpDef def) {
        for (Avp c : children()) {
            if (c.is(def)) {
                return c;
            }
        }
        return null;
    }

    private void need(int n) {
        if (len != n) {
            throw new IllegalStateException("AVP " + code + " has " + len + " data bytes, the type needs " + n);
        }
    }

    // ---- wire ------------------------------------------------------------------------------

    /** Header plus data, without padding (the AVP Length field). */
    public int length() {
        return (vendorSpecific() ? 12 : 8) + len;
    }

    /** Header, data and padding to a multiple of 4. */
    public int paddedLength() {
        return (length() + 3) & ~3;
    }

    /** Writes header, data and zero padding. */
    public void encode(ByteBuf out) {
        out.writeInt(code);
        out.writeByte(flags);
        out.writeMedium(length());
        if (vendorSpecific()) {
            out.writeInt(vendorId);
        }
        out.writeBytes(buf, off, len);
        out.writeZero(paddedLength() - length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Avp a && a.code == code && a.flags == flags && a.vendorId == vendorId
                && Arrays.equals(a.buf, a.off, a.off + a.len, buf, off, off + len);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + buf[i];
        }
        return (code * 31 + vendorId) * 31 + h;
    }

    @Override
    public String toString() {
        String v = vendorId != 0 ? "/" + Integer.toUnsignedString(vendorId) : "";
        String d = len <= 64 ? HexFormat.of().formatHex(buf, off, off + len) : HexFormat.of().formatHex(buf, off, off + 64) + "...";
        return "Avp[" + code + v + " flags=0x" + Integer.toHexString(flags) + " data=" + d + "]";
    }
}
