package org.arbiter.core.engine;

import java.util.List;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.ledger.SessionRelease;
import org.arbiter.core.session.ResultCode;

/**
 * The engine's answer to a release (STR, ASA, expiry).
 *
 * @param code DIAMETER_SUCCESS, or DIAMETER_UNKNOWN_SESSION_ID when the ledger has no active session
 * @param release what the ledger ended, or {@code null}
 * @param deviceFailures device removals that failed (reconcile will retry them)
 */
public record ReleaseResult(ResultCode code, SessionRelease release, List<Outcome> deviceFailures) {
    public ReleaseResult {
        deviceFailures = List.copyOf(deviceFailures);
    }
}
