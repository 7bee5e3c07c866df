package org.arbiter.adapter.pcmm.cops;

/**
 * A COPS or PacketCable Multimedia value that cannot be put on the wire: a field outside its range,
 * an object too long for its 16-bit length. Thrown by the constructors of the value records, so a
 * bad value is caught where it is made, never half-way through an encoder.
 *
 * <p>Decoding never throws it: malformed bytes become an {@link InvalidCopsMessage} (COPS) or a
 * {@code PcmmFault} (PacketCable Multimedia) value.
 */
public final class CopsException extends IllegalArgumentException {

    public CopsException(String message) {
        super(message);
    }

    /** Checks an unsigned 8-bit field. */
    public static int u8(String field, int v) {
        return range(field, v, 0, 0xFF);
    }

    /** Checks an unsigned 16-bit field. */
    public static int u16(String field, int v) {
        return range(field, v, 0, 0xFFFF);
    }

    /** Checks an unsigned 32-bit field. */
    public static long u32(String field, long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new CopsException(field + " must be 0.." + 0xFFFF_FFFFL + ", was " + v);
        }
        return v;
    }

    /** Checks a field against its range. */
    public static int range(String field, int v, int min, int max) {
        if (v < min || v > max) {
            throw new CopsException(field + " must be " + min + ".." + max + ", was " + v);
        }
        return v;
    }
}
