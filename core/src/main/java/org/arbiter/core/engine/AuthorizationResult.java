package org.arbiter.core.engine;

import java.util.List;
import java.util.Objects;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.session.ResultCode;

/**
 * The engine's answer to an authorization request; the Diameter front end turns it into an AAA.
 *
 * @param code the result (success, or the Rx code of the failure)
 * @param message a human-readable reason (for logs, CLI and Error-Message)
 * @param flows the extracted requirements (empty when extraction failed)
 * @param decision the policy decision, or {@code null} when none was made
 * @param holds the session's active holds after the request
 * @param acceptable for 5063: what could be granted instead (Acceptable-Service-Info); else empty
 * @param provisioned true when every device confirmed (the "QoS provisioning complete" event)
 */
public record AuthorizationResult(
        ResultCode code,
        String message,
        List<FlowRequirement> flows,
        Decision decision,
        List<Hold> holds,
        List<FlowGrant> acceptable,
        boolean provisioned) {

    public AuthorizationResult {
        Objects.requireNonNull(code, "code");
        flows = List.copyOf(flows);
        holds = List.copyOf(holds);
        acceptable = List.copyOf(acceptable);
    }

    static AuthorizationResult failure(ResultCode code, String message, List<FlowRequirement> flows, Decision decision) {
        return new AuthorizationResult(code, message, flows, decision, List.of(), List.of(), false);
    }

    public boolean success() {
        return code.success();
    }
}
