package org.arbiter.core.ledger;

import java.util.List;

/**
 * A session the ledger ended: the holds it freed (their last active state) and the CDR written.
 *
 * @param sessionId the Session-Id
 * @param originHost the AF that created the session
 * @param holds the holds that were active before the release
 * @param record the billing record written in the same transaction
 */
public record SessionRelease(String sessionId, String originHost, List<Hold> holds, ChargingRecord record) {
    public SessionRelease {
        holds = List.copyOf(holds);
    }
}
