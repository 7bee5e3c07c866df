package org.arbiter.adapter.pcmm.mm;

/**
 * The Error-Code of the PacketCable Error object (PKT-SP-MM, S-Num 14). For 6 Missing Required
 * Object and 7 Invalid Object the sub-code carries the S-Num (high octet) and S-Type (low octet)
 * of the object concerned.
 */
public enum PcmmErrorCode {
    INSUFFICIENT_RESOURCES(1, "Insufficient Resources"),
    UNKNOWN_GATE_ID(2, "Unknown GateID"),
    MISSING_REQUIRED_OBJECT(6, "Missing Required Object"),
    INVALID_OBJECT(7, "Invalid Object"),
    VOLUME_BASED_USAGE_LIMIT_EXCEEDED(8, "Volume Based Usage Limit Exceeded"),
    TIME_BASED_USAGE_LIMIT_EXCEEDED(9, "Time Based Usage Limit Exceeded"),
    SESSION_CLASS_LIMIT_EXCEEDED(10, "Session Class Limit Exceeded"),
    UNDEFINED_SERVICE_CLASS_NAME(11, "Undefined Service Class Name"),
    INCOMPATIBLE_ENVELOPE(12, "Incompatible Envelope"),
    INVALID_SUBSCRIBER_ID(13, "Invalid SubscriberID"),
    UNAUTHORIZED_AMID(14, "Unauthorized AMID"),
    NUMBER_OF_CLASSIFIERS_NOT_SUPPORTED(15, "Number of Classifiers Not Supported"),
    POLICY_EXCEPTION(16, "Policy Exception"),
    INVALID_FIELD_VALUE(17, "Invalid Field Value in Object"),
    TRANSPORT_ERROR(18, "Transport Error"),
    UNKNOWN_GATE_COMMAND(19, "Unknown Gate Command"),
    DOCSIS_1_0_CM(20, "DOCSIS 1.0 CM"),
    NUMBER_OF_SIDS_EXCEEDED_IN_CM(21, "Number of SIDs exceeded in CM"),
    NUMBER_OF_SIDS_EXCEEDED_IN_CMTS(22, "Number of SIDs exceeded in CMTS"),
    UNAUTHORIZED_PSID(23, "Unauthorized PSID"),
    NO_STATE_FOR_PDP(24, "No State for PDP"),
    UNSUPPORTED_SYNCH_TYPE(25, "Unsupported Synch Type"),
    STATE_DATA_INCOMPLETE(26, "State Data Incomplete"),
    UPSTREAM_DROP_UNSUPPORTED(27, "Upstream Drop Unsupported"),
    OTHER(127, "Other, Unspecified Error");

    private final int code;
    private final String text;

    PcmmErrorCode(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** The name the specification gives the code. */
    public String text() {
        return text;
    }

    /** The enum for {@code code}, or {@code null} for codes outside this list (multicast 28-35, vendor). */
    public static PcmmErrorCode of(int code) {
        for (PcmmErrorCode e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return null;
    }

    /** "code Name" for any code, known or not. */
    public static String describe(int code) {
        PcmmErrorCode e = of(code);
        return e == null ? code + " (unlisted)" : code + " " + e.text;
    }
}
