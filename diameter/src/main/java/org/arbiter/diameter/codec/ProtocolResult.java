package org.arbiter.diameter.codec;

/**
 * The Result-Code values of the base protocol (RFC 6733 §7.1) this stack produces or reads.
 * Application results (Rx, TS 29.214 §5.5) are in core's {@code ResultCode}.
 */
public enum ProtocolResult {
    DIAMETER_SUCCESS(2001),
    DIAMETER_COMMAND_UNSUPPORTED(3001),
    DIAMETER_UNABLE_TO_DELIVER(3002),
    DIAMETER_TOO_BUSY(3004),
    DIAMETER_APPLICATION_UNSUPPORTED(3007),
    DIAMETER_INVALID_HDR_BITS(3008),
    DIAMETER_INVALID_AVP_BITS(3009),
    DIAMETER_UNKNOWN_PEER(3010),
    DIAMETER_AVP_UNSUPPORTED(5001),
    DIAMETER_UNKNOWN_SESSION_ID(5002),
    DIAMETER_INVALID_AVP_VALUE(5004),
    DIAMETER_MISSING_AVP(5005),
    DIAMETER_NO_COMMON_APPLICATION(5010),
    DIAMETER_UNSUPPORTED_VERSION(5011),
    DIAMETER_UNABLE_TO_COMPLY(5012),
    DIAMETER_INVALID_AVP_LENGTH(5014),
    DIAMETER_INVALID_MESSAGE_LENGTH(5015);

    private final int code;

    ProtocolResult(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Protocol errors (3xxx) are answered with the E bit set (RFC 6733 §7.1.3). */
    public static boolean protocolError(long code) {
        return code >= 3000 && code < 4000;
    }
}
