package org.arbiter.core.qos;

/**
 * The treatment devices give a flow: the DiffServ code point they mark and queue by, the 3GPP QCI
 * (TS 23.203 §6.1.7) for bearers, and the admission priority (1 highest .. 15, as
 * {@link org.arbiter.core.policy.FlowGrant#priority()}).
 *
 * @param dscp 0..63
 * @param qci 1..255, or {@code null} when the class has no bearer mapping
 * @param priority 1..15
 * @throws IllegalArgumentException for a value out of range (naming the field and the range)
 */
public record TrafficClass(int dscp, Integer qci, int priority) {

    public TrafficClass {
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("dscp = " + dscp + "; a DSCP is 0..63");
        }
        if (qci != null && (qci < 1 || qci > 255)) {
            throw new IllegalArgumentException("qci = " + qci + "; a QCI is 1..255 (TS 23.203 §6.1.7)");
        }
        if (priority < 1 || priority > 15) {
            throw new IllegalArgumentException("priority = " + priority + "; a priority is 1 (highest) .. 15");
        }
    }

    /**
     * The per-hop behaviour name of the code point (RFC 2474, 2597, 3246, 5865): {@code BE},
     * {@code EF}, {@code VOICE-ADMIT}, {@code CSn}, {@code AFxy}; else {@code DSCP n}.
     */
    public String phb() {
        if (dscp == 0) {
            return "BE";
        }
        if (dscp == 46) {
            return "EF";
        }
        if (dscp == 44) {
            return "VOICE-ADMIT";
        }
        if (dscp % 8 == 0) {
            return "CS" + dscp / 8;
        }
        int cls = dscp / 8;
        int drop = (dscp % 8) / 2;
        if (cls >= 1 && cls <= 4 && dscp % 2 == 0 && drop >= 1 && drop <= 3) {
            return "AF" + cls + drop;
        }
        return "DSCP " + dscp;
    }

    /** {@code CS4 (DSCP 32), QCI 3, priority 3}. */
    @Override
    public String toString() {
        return phb() + " (DSCP " + dscp + ")" + (qci == null ? "" : ", QCI " + qci) + ", priority " + priority;
    }
}
