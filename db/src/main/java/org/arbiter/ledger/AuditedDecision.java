package org.arbiter.ledger;

import java.time.Instant;
import org.arbiter.core.policy.Verdict;

/**
 * One row of the decision audit trail.
 *
 * @param id the row id, increasing
 * @param sessionId the Session-Id
 * @param originHost who asked
 * @param decidedAt when
 * @param verdict what policy decided
 * @param outcome what the ledger did: {@code ADMITTED}, {@code UNCHANGED} or {@code REFUSED}
 * @param resultCode the Rx code of a policy reject, or {@code null}
 * @param reason the decision's reason, or {@code null}
 * @param policyVersion the policy version that decided
 * @param ruleId the rule that decided
 */
public record AuditedDecision(long id, String sessionId, String originHost, Instant decidedAt, Verdict verdict,
                              String outcome, Integer resultCode, String reason, String policyVersion, String ruleId) {}
