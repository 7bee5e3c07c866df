package org.arbiter.adapter.pcmm.mm;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.arbiter.adapter.pcmm.cops.CopsException;

/**
 * Gate Spec (S-Num 5, S-Type 1): the gate's direction, DSCP/TOS marking, SessionClassID and timers.
 *
 * <p>Layout: Flags (bit 0 direction, 1 = upstream; bit 1 DSCP/TOS overwrite), DSCP/TOS Field,
 * DSCP/TOS Mask, SessionClassID, then the timers T1 (authorized), T2 (reserved), T3 (inactivity)
 * and T4 (committed-recovery), 16 bits of seconds each, 0 meaning the CMTS default.
 *
 * @param direction upstream (from the subscriber) or downstream
 * @param dscpOverwrite whether the CMTS re-marks the flow's packets
 * @param dscpTosField the TOS byte to write (a DSCP shifted left by 2)
 * @param dscpTosMask the bits of the TOS byte to overwrite (0xFC for the DSCP)
 * @param sessionClass priority, preemption and the operator-configurable bits
 * @param t1 seconds an authorized gate waits to be reserved
 * @param t2 seconds a reserved gate waits to be committed
 * @param t3 seconds of service flow inactivity before the gate closes
 * @param t4 seconds a gate may stay in Committed-Recovery
 */
public record GateSpec(Direction direction, boolean dscpOverwrite, int dscpTosField, int dscpTosMask, SessionClassId sessionClass,
        int t1, int t2, int t3, int t4) implements PcmmObject {

    /** The gate direction (GateSpec flag bit 0). */
    public enum Direction { DOWNSTREAM, UPSTREAM }

    /**
     * SessionClassID: Priority (bits 0-2, 0 lowest), Preemption (bit 3) and Configurable (bits
     * 4-7, operator-defined).
     */
    public record SessionClassId(int priority, boolean preemption, int configurable) {
        public SessionClassId {
            CopsException.range("SessionClassID priority", priority, 0, 7);
            CopsException.range("SessionClassID configurable bits", configurable, 0, 15);
        }

        /** The SessionClassID octet. */
        public int toByte() {
            return configurable << 4 | (preemption ? 0x08 : 0) | priority;
        }

        /** The fields of a SessionClassID octet. */
        public static SessionClassId of(int octet) {
            return new SessionClassId(octet & 0x07, (octet & 0x08) != 0, (octet >> 4) & 0x0F);
        }
    }

    /** Flags bit 0. */
    public static final int FLAG_UPSTREAM = 0x01;
    /** Flags bit 1. */
    public static final int FLAG_DSCP_OVERWRITE = 0x02;

    public GateSpec {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(sessionClass, "sessionClass");
        CopsException.u8("DSCP/TOS Field", dscpTosField);
        CopsException.u8("DSCP/TOS Mask", dscpTosMask);
        CopsException.u16("Timer T1", t1);
        CopsException.u16("Timer T2", t2);
        CopsException.u16("Timer T3", t3);
        CopsException.u16("Timer T4", t4);
    }

    /** The Flags octet. */
    public int flags() {
        return (direction == Direction.UPSTREAM ? FLAG_UPSTREAM : 0) | (dscpOverwrite ? FLAG_DSCP_OVERWRITE : 0);
    }

    /** The DSCP this gate marks, or -1 when it does not overwrite the DSCP. */
    public int dscp() {
        return dscpOverwrite && dscpTosMask == 0xFC ? dscpTosField >> 2 : -1;
    }

    @Override
    public int sNum() {
        return S_GATE_SPEC;
    }

    @Override
    public int sType() {
        return 1;
    }

    @Override
    public int contentLength() {
        return 12;
    }

    @Override
    public void encodeContents(ByteBuf out) {
        out.writeByte(flags()).writeByte(dscpTosField).writeByte(dscpTosMask).writeByte(sessionClass.toByte());
        out.writeShort(t1).writeShort(t2).writeShort(t3).writeShort(t4);
    }
}
