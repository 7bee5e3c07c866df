package org.arbiter.core.session;

/**
 * Why a session ended: Termination-Cause (RFC 6733 §8.15) as carried by STR, plus the reasons the
 * server ends sessions itself. Every CDR records one.
 */
public enum TerminationCause {
    DIAMETER_LOGOUT(1),
    DIAMETER_SERVICE_NOT_PROVIDED(2),
    DIAMETER_BAD_ANSWER(3),
    DIAMETER_ADMINISTRATIVE(4),
    DIAMETER_LINK_BROKEN(5),
    DIAMETER_AUTH_EXPIRED(6),
    DIAMETER_USER_MOVED(7),
    DIAMETER_SESSION_TIMEOUT(8),
    /** A hold in RESERVED passed its timer without being committed. */
    HOLD_EXPIRED(-1),
    /** A device refused or could not apply the reservation; everything applied was removed. */
    ENFORCEMENT_FAILED(-2),
    /** The server aborted the session (ASR), e.g. after a device lost the reservation. */
    ABORTED(-3);

    private final int code;

    TerminationCause(int code) {
        this.code = code;
    }

    /** The RFC 6733 value, or a negative number for causes that have none. */
    public int code() {
        return code;
    }

    /** {@link #values()}, copied once for the lookups. */
    private static final TerminationCause[] VALUES = values();

    /** The cause for an RFC 6733 value, or {@code null} for a value RFC 6733 does not define. */
    public static TerminationCause fromCode(int code) {
        for (TerminationCause c : VALUES) {
            if (c.code == code && code > 0) {
                return c;
            }
        }
        return null;
    }
}
