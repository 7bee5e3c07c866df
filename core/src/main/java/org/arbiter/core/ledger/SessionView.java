package org.arbiter.core.ledger;

import java.time.Instant;
import java.util.List;

/**
 * A session as the ledger knows it.
 *
 * @param sessionId the Session-Id
 * @param originHost the AF that created it
 * @param subscriber the subscriber, or {@code null}
 * @param createdAt when first admitted
 * @param holds its holds (active and final)
 * @param policyVersion the version that decided the latest admission
 * @param ruleId the rule that decided it
 */
public record SessionView(String sessionId, String originHost, String subscriber, Instant createdAt,
                          List<Hold> holds, String policyVersion, String ruleId) {
    public SessionView {
        holds = List.copyOf(holds);
    }

    /** True while any hold takes capacity. */
    public boolean active() {
        return holds.stream().anyMatch(h -> h.state().active());
    }
}
