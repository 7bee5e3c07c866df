package org.arbiter.core.session;

/**
 * Specific-Action (TS 29.214 §5.3.22): events an AF subscribes to in an AAR and that the PDP
 * reports in a RAR.
 */
public enum SpecificAction {
    CHARGING_CORRELATION_EXCHANGE(1),
    INDICATION_OF_LOSS_OF_BEARER(2),
    INDICATION_OF_RECOVERY_OF_BEARER(3),
    INDICATION_OF_RELEASE_OF_BEARER(4),
    IP_CAN_CHANGE(6),
    INDICATION_OF_OUT_OF_CREDIT(7),
    INDICATION_OF_SUCCESSFUL_RESOURCES_ALLOCATION(8),
    INDICATION_OF_FAILED_RESOURCES_ALLOCATION(9),
    INDICATION_OF_LIMITED_PCC_DEPLOYMENT(10),
    USAGE_REPORT(11),
    ACCESS_NETWORK_INFO_REPORT(12);

    private final int code;

    SpecificAction(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** {@link #values()}, copied once for the lookups. */
    private static final SpecificAction[] VALUES = values();

    /** The action for a wire value, or {@code null} for a value this server does not know. */
    public static SpecificAction fromCode(int code) {
        for (SpecificAction a : VALUES) {
            if (a.code == code) {
                return a;
            }
        }
        return null;
    }
}
