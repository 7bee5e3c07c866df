package org.arbiter.core.policy;

import java.util.List;
import java.util.Objects;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.session.RxRequest;

/**
 * What policy decides on: the request and the negotiated requirement of every flow.
 *
 * @param request the decoded AAR
 * @param flows the per-flow requirements extracted from it
 */
public record PolicyRequest(RxRequest request, List<FlowRequirement> flows) {

    public PolicyRequest {
        Objects.requireNonNull(request, "request");
        flows = List.copyOf(Objects.requireNonNull(flows, "flows"));
    }
}
