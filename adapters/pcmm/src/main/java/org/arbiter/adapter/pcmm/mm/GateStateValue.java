package org.arbiter.adapter.pcmm.mm;

/** The State of the PacketCable Multimedia Gate State object (S-Num 15): where the gate is in its life. */
public enum GateStateValue {
    /** 1: Idle/Closed, the gate is gone. */
    IDLE_CLOSED(1),
    /** 2: Authorized. */
    AUTHORIZED(2),
    /** 3: Reserved. */
    RESERVED(3),
    /** 4: Committed. */
    COMMITTED(4),
    /** 5: Committed-Recovery (after a T4 event). */
    COMMITTED_RECOVERY(5);

    private final int code;

    GateStateValue(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The value for {@code code}, or {@code null}. */
    public static GateStateValue of(int code) {
        return code >= 1 && code <= 5 ? values()[code - 1] : null;
    }

    /** Why a gate changed state (the Reason field of the Gate State object). */
    public enum Reason {
        CLOSE_RESERVATION_REASSIGNMENT(1, "close: reservation reassignment (preemption)"),
        CLOSE_NO_DOCSIS_MAC_RESPONSES(2, "close: lack of DOCSIS MAC-layer responses"),
        CLOSE_T1_EXPIRED(3, "close: timer T1 expired"),
        CLOSE_T2_EXPIRED(4, "close: timer T2 expired"),
        CLOSE_T3_INACTIVITY(5, "close: service flow inactivity (timer T3)"),
        CLOSE_NO_RESERVATION_MAINTENANCE(6, "close: lack of reservation maintenance"),
        UNCHANGED_VOLUME_LIMIT_REACHED(7, "unchanged: volume limit reached"),
        CLOSE_T4_EXPIRED(8, "close: timer T4 expired"),
        UNCHANGED_T2_RESERVATION_REDUCED(9, "unchanged: timer T2 reduced the reservation"),
        UNCHANGED_TIME_LIMIT_REACHED(10, "unchanged: time limit reached"),
        CLOSE_VOLUME_LIMIT_REACHED(11, "close: volume limit reached"),
        CLOSE_TIME_LIMIT_REACHED(12, "close: time limit reached"),
        CLOSE_CMTS_OTHER(13, "close: CMTS, other"),
        UNCHANGED_SHARED_RESOURCE_ID_UPDATED(14, "unchanged: SharedResourceID updated"),
        CLOSE_LOSS_OF_SHARED_RESOURCE(15, "close: loss of shared resource"),
        OTHER(65535, "other");

        private final int code;
        private final String text;

        Reason(int code, String text) {
            this.code = code;
            this.text = text;
        }

        public int code() {
            return code;
        }

        public String text() {
            return text;
        }

        /** "code (text)" for any reason code. */
        public static String describe(int code) {
            for (Reason r : values()) {
                if (r.code == code) {
                    return code + " (" + r.text + ")";
                }
            }
            return code + " (unlisted)";
        }
    }
}
