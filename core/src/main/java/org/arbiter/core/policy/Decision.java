package org.arbiter.core.policy;

import java.util.List;
import java.util.Objects;
import org.arbiter.core.session.ResultCode;

/**
 * The outcome of evaluating policy for one request. Immutable.
 *
 * <p>Every decision names the policy {@link #policyVersion()} and the {@link #ruleId()} that made
 * it, so an operator can always answer "why". {@link #trace()} lists the rules evaluated, in
 * order, with what each did.
 *
 * @param verdict accept, accept with modification, or reject
 * @param grants one grant per flow for accept verdicts; empty for reject
 * @param rejectCode the Rx code for a reject; {@code null} otherwise
 * @param reason a human-readable reason (for reject and modify)
 * @param policyVersion the version of the rule set that decided
 * @param ruleId the rule that decided
 * @param trace the evaluation trace
 * @param enforce false when policy admits without enforcement on devices
 */
public record Decision(
        Verdict verdict,
        List<FlowGrant> grants,
        ResultCode rejectCode,
        String reason,
        String policyVersion,
        String ruleId,
        List<String> trace,
        boolean enforce) {

    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        grants = List.copyOf(Objects.requireNonNull(grants, "grants"));
        trace = List.copyOf(Objects.requireNonNull(trace, "trace"));
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(ruleId, "ruleId");
        if (verdict == Verdict.REJECT && rejectCode == null) {
            throw new IllegalArgumentException("a reject needs a result code (rule " + ruleId + ")");
        }
        if (verdict != Verdict.REJECT && grants.isEmpty()) {
            throw new IllegalArgumentException("an accept needs at least one grant (rule " + ruleId + ")");
        }
    }

    public static Decision accept(List<FlowGrant> grants, String version, String rule, List<String> trace) {
        boolean modified = grants.stream().anyMatch(FlowGrant::modified);
        return new Decision(modified ? Verdict.ACCEPT_MODIFIED : Verdict.ACCEPT, grants, null,
                modified ? "granted with modification" : "granted", version, rule, trace, true);
    }

    public static Decision reject(ResultCode code, String reason, String version, String rule, List<String> trace) {
        return new Decision(Verdict.REJECT, List.of(), code, reason, version, rule, trace, true);
    }

    public boolean accepted() {
        return verdict != Verdict.REJECT;
    }
}
