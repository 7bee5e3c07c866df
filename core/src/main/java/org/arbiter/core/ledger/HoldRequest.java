package org.arbiter.core.ledger;

import java.util.Objects;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;

/**
 * Capacity one flow direction needs on every pool of one party's access path.
 *
 * @param flow the flow
 * @param direction the direction as seen from that party (its uplink or downlink)
 * @param path the party's access path
 * @param bandwidthBps bit/s to hold on every pool of the path
 * @param dscp the marking the devices apply
 * @param maxLatencyMs the latency target, or {@code null}
 */
public record HoldRequest(FlowKey flow, Direction direction, AccessPath path, long bandwidthBps, int dscp, Integer maxLatencyMs) {
    public HoldRequest {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(path, "path");
        if (bandwidthBps < 0) {
            throw new IllegalArgumentException("bandwidth must be >= 0");
        }
    }
}
