package org.arbiter.core.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.arbiter.core.policy.Decision;

/**
 * Everything the ledger needs to admit one request in one transaction.
 *
 * @param sessionId the Session-Id; admission is idempotent on it and each flow direction
 * @param originHost the requesting AF
 * @param subscriber the subscriber (first Subscription-Id), or {@code null}
 * @param chargingId AF-Charging-Identifier, or {@code null}
 * @param decision the policy decision, recorded in the audit trail
 * @param holds the capacity to hold; the full desired set for the session (an update replaces)
 * @param now the time of the request
 * @param reservedUntil when RESERVED holds expire if not committed
 * @param authorizedUntil when COMMITTED holds expire without refresh (Authorization-Lifetime)
 */
public record AdmissionRequest(
        String sessionId,
        String originHost,
        String subscriber,
        String chargingId,
        Decision decision,
        List<HoldRequest> holds,
        Instant now,
        Instant reservedUntil,
        Instant authorizedUntil) {

    public AdmissionRequest {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(decision, "decision");
        holds = List.copyOf(holds);
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(reservedUntil, "reservedUntil");
        Objects.requireNonNull(authorizedUntil, "authorizedUntil");
    }
}
