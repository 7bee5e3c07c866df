package org.arbiter.ledger;

import java.time.Instant;

/**
 * A session as lists show it.
 *
 * @param sessionId the Session-Id
 * @param originHost the AF that created it
 * @param subscriber the subscriber, or {@code null}
 * @param createdAt when first admitted
 * @param committedAt when its holds were first committed, or {@code null}
 * @param endedAt when it ended, or {@code null} while active
 * @param policyVersion the version that decided its latest admission
 * @param ruleId the rule that decided it
 * @param modified whether that grant modified what was asked
 */
public record SessionSummary(String sessionId, String originHost, String subscriber, Instant createdAt,
                             Instant committedAt, Instant endedAt, String policyVersion, String ruleId, boolean modified) {}
