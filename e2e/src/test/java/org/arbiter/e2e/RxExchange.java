package org.arbiter.e2e;

import java.time.Duration;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.TerminationCause;

/**
 * One Rx request the Arbiter under test answered, as the tests count them.
 *
 * @param kind AAR (authorize) or STR (release)
 * @param sessionId the Session-Id
 * @param originHost the requesting AF's Origin-Host (AAR); {@code null} for STR, which the
 *     handler receives without it
 * @param cause the Termination-Cause (STR); {@code null} for AAR
 * @param code the answer's result
 * @param generation which Arbiter instance answered: 1 for the first, 2 after one restart ...
 * @param handling how long the PDP took to decide (handler call, not the wire)
 */
record RxExchange(Kind kind, String sessionId, String originHost, TerminationCause cause, ResultCode code, int generation,
                  Duration handling) {

    /** The request type. */
    enum Kind { AAR, STR }
}
