package org.arbiter.core.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.TerminationCause;

/**
 * A billing record (CDR) for one QoS session, written in the transaction that ends the session.
 *
 * @param recordId unique, stable id (never reused)
 * @param sessionId the Session-Id
 * @param chargingId AF-Charging-Identifier, or {@code null}
 * @param subscriber the subscriber (Subscription-Id data), or {@code null}
 * @param originHost the requesting AF
 * @param startedAt when the session was admitted
 * @param committedAt when devices confirmed, or {@code null} when never committed
 * @param stoppedAt when it ended
 * @param flows what was reserved, per flow direction and pool
 * @param modified whether the grant modified what was asked
 * @param policyVersion the policy version that decided
 * @param ruleId the rule that decided
 * @param cause why it ended
 */
public record ChargingRecord(
        String recordId,
        String sessionId,
        String chargingId,
        String subscriber,
        String originHost,
        Instant startedAt,
        Instant committedAt,
        Instant stoppedAt,
        List<ChargedFlow> flows,
        boolean modified,
        String policyVersion,
        String ruleId,
        TerminationCause cause) {

    public ChargingRecord {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(sessionId, "sessionId");
        flows = List.copyOf(flows);
    }

    /** How long the session held capacity. */
    public Duration duration() {
        return Duration.between(startedAt, stoppedAt);
    }

    /**
     * One charged flow direction on one pool.
     *
     * @param flow the flow
     * @param direction direction as seen from the party
     * @param partyAddress the subscriber address on whose path the pool lies
     * @param poolId the pool charged
     * @param bandwidthBps bit/s held
     * @param dscp marking
     * @param maxLatencyMs latency target, or {@code null}
     */
    public record ChargedFlow(FlowKey flow, Direction direction, String partyAddress, String poolId,
                              long bandwidthBps, int dscp, Integer maxLatencyMs) {}
}
