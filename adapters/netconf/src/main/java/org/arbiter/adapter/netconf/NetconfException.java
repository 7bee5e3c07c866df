package org.arbiter.adapter.netconf;

import org.arbiter.core.adapter.OutcomeStatus;

/**
 * A device fault inside this adapter, carried up to the {@code DeviceAdapter} method that turns
 * it into outcomes. It never leaves the adapter.
 *
 * <p>{@link #sessionLost()} says the SSH session is unusable afterwards (transport failure,
 * malformed framing, a reply that never came); the adapter then drops the session and, when the
 * session was an old one, retries once on a new one.
 */
final class NetconfException extends Exception {

    private static final long serialVersionUID = 1L;

    private final OutcomeStatus status;
    private final boolean sessionLost;

    NetconfException(OutcomeStatus status, String detail, boolean sessionLost) {
        super(detail);
        this.status = status;
        this.sessionLost = sessionLost;
    }

    NetconfException(OutcomeStatus status, String detail, boolean sessionLost, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.sessionLost = sessionLost;
    }

    /** The outcome the affected items get. */
    OutcomeStatus status() {
        return status;
    }

    /** True when the session cannot be used any more. */
    boolean sessionLost() {
        return sessionLost;
    }

    /** The detail for outcomes (never holds a secret). */
    String detail() {
        return getMessage();
    }
}
