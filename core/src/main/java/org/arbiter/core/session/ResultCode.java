package org.arbiter.core.session;

/**
 * The application outcomes the engine can produce, named as RFC 6733 and TS 29.214 §5.5 name
 * them. Protocol-level faults (3001, 3007, 5001, 5004, 5005...) belong to the Diameter front end,
 * not to the engine.
 *
 * <p>{@link #vendorId()} is 0 for a Result-Code and 10415 (3GPP) for an Experimental-Result-Code.
 */
public enum ResultCode {
    DIAMETER_SUCCESS(2001, 0),
    DIAMETER_TOO_BUSY(3004, 0),
    DIAMETER_UNKNOWN_SESSION_ID(5002, 0),
    DIAMETER_AUTHORIZATION_REJECTED(5003, 0),
    DIAMETER_UNABLE_TO_COMPLY(5012, 0),
    INVALID_SERVICE_INFORMATION(5061, 10415),
    FILTER_RESTRICTIONS(5062, 10415),
    REQUESTED_SERVICE_NOT_AUTHORIZED(5063, 10415),
    DUPLICATED_AF_SESSION(5064, 10415),
    IP_CAN_SESSION_NOT_AVAILABLE(5065, 10415),
    UNAUTHORIZED_NON_EMERGENCY_SESSION(5066, 10415),
    UNAUTHORIZED_SPONSORED_DATA_CONNECTIVITY(5067, 10415),
    TEMPORARY_NETWORK_FAILURE(5068, 10415);

    /** The 3GPP vendor id, which qualifies Experimental-Result-Codes. */
    public static final int VENDOR_3GPP = 10415;

    private final int code;
    private final int vendorId;

    ResultCode(int code, int vendorId) {
        this.code = code;
        this.vendorId = vendorId;
    }

    public int code() {
        return code;
    }

    public int vendorId() {
        return vendorId;
    }

    /** True when the code travels in Experimental-Result rather than Result-Code. */
    public boolean experimental() {
        return vendorId != 0;
    }

    public boolean success() {
        return code >= 2000 && code < 3000;
    }

    /** {@link #values()}, copied once for the lookups. */
    private static final ResultCode[] VALUES = values();

    /** The code with the given number and vendor, or {@code null}. */
    public static ResultCode of(int code, int vendorId) {
        for (ResultCode r : VALUES) {
            if (r.code == code && r.vendorId == vendorId) {
                return r;
            }
        }
        return null;
    }
}
