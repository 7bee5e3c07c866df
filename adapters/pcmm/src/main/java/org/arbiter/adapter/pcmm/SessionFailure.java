package org.arbiter.adapter.pcmm;

import java.util.Objects;
import org.arbiter.core.adapter.OutcomeStatus;

/**
 * Why a request to the CMTS got no answer: carried by the futures of {@link CmtsSession} and turned
 * into a typed outcome by {@link PcmmDevice}; it never reaches the engine. No stack trace: it is a
 * value, not a bug.
 */
final class SessionFailure extends RuntimeException {

    private final OutcomeStatus status;

    SessionFailure(OutcomeStatus status, String detail) {
        super(detail, null, false, false);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** UNREACHABLE (no session, connection lost), TIMEOUT (no answer in time) or FAILED. */
    OutcomeStatus status() {
        return status;
    }
}
