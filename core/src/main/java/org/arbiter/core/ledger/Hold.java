package org.arbiter.core.ledger;

import java.time.Instant;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;

/**
 * Capacity held on one pool for one flow direction of one session.
 *
 * <p>{@link #reservationId()} is stable and names the reservation on the enforcing device, so a
 * reconcile can match device rows to holds.
 *
 * @param holdId ledger id
 * @param sessionId the Diameter Session-Id
 * @param flow the flow
 * @param direction direction as seen from {@link #partyAddress()}
 * @param partyAddress the subscriber address whose path contains the pool
 * @param poolId the pool
 * @param deviceId the enforcing device, or {@code null}
 * @param bandwidthBps bit/s held
 * @param dscp marking
 * @param maxLatencyMs latency target, or {@code null}
 * @param state the hold state
 * @param expiresAt when a RESERVED hold expires, or when a COMMITTED hold's authorization ends
 */
public record Hold(
        long holdId,
        String sessionId,
        FlowKey flow,
        Direction direction,
        String partyAddress,
        String poolId,
        String deviceId,
        long bandwidthBps,
        int dscp,
        Integer maxLatencyMs,
        HoldState state,
        Instant expiresAt) {

    /** The same hold in another state, expiring at {@code until}. */
    public Hold withState(HoldState newState, Instant until) {
        return new Hold(holdId, sessionId, flow, direction, partyAddress, poolId, deviceId, bandwidthBps, dscp,
                maxLatencyMs, newState, until);
    }

    /** The id of this hold's reservation on its device. */
    public String reservationId() {
        return reservationId(sessionId, flow, direction, partyAddress, poolId);
    }

    /** The device reservation id for the given hold coordinates. */
    public static String reservationId(String sessionId, FlowKey flow, Direction d, String party, String pool) {
        if (flow == null) {
            return sessionId + "|null|" + d.label() + "|" + party + "|" + pool;
        }
        // the flow as FlowKey.toString() writes it, without building that string first
        return sessionId + "|" + flow.mediaComponent() + "." + flow.flow() + "|" + d.label() + "|" + party + "|" + pool;
    }
}
