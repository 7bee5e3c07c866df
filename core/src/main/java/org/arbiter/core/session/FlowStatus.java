package org.arbiter.core.session;

/** Flow-Status (TS 29.214 §5.3.11): which directions of a media component may pass. */
public enum FlowStatus {
    ENABLED_UPLINK(0), ENABLED_DOWNLINK(1), ENABLED(2), DISABLED(3), REMOVED(4);

    private final int code;

    FlowStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** {@link #values()}, copied once for the lookups. */
    private static final FlowStatus[] VALUES = values();

    /** The status for a wire value, or {@code null} for a value the spec does not define. */
    public static FlowStatus fromCode(int code) {
        for (FlowStatus s : VALUES) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
