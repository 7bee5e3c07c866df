package org.arbiter.core.ledger;

import java.time.Instant;
import java.util.Objects;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;

/**
 * Capacity held on one pool for one flow direction of one session.
 *
 * <p>{@link #reservationId()} is stable and names the reservation on the enforcing device, so a
 * reconcile can match device rows to holds. It is built once per hold, on first use, and kept by
 * {@link #withState} and {@link #withId}: the ledger keys its holds by it and every device install and removal names
 * the reservation by it, so the same string (and its cached hash) serves them all.
 *
 * <p>A value class with the accessors, {@code equals}, {@code hashCode} and {@code toString} of a
 * record over the constructor's parameters; the id is derived from them and takes no part in equality.
 */
public final class Hold {
    private final long holdId;
    private final String sessionId;
    private final FlowKey flow;
    private final Direction direction;
    private final String partyAddress;
    private final String poolId;
    private final String deviceId;
    private final long bandwidthBps;
    private final int dscp;
    private final Integer maxLatencyMs;
    private final HoldState state;
    private final Instant expiresAt;
    /** {@link #reservationId()} once built; a benign race may build it twice, equal both times. */
    private String reservationId;

    /**
     * A hold.
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
    public Hold(
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
        this.holdId = holdId;
        this.sessionId = sessionId;
        this.flow = flow;
        this.direction = direction;
        this.partyAddress = partyAddress;
        this.poolId = poolId;
        this.deviceId = deviceId;
        this.bandwidthBps = bandwidthBps;
        this.dscp = dscp;
        this.maxLatencyMs = maxLatencyMs;
        this.state = state;
        this.expiresAt = expiresAt;
    }

    public long holdId() {
        return holdId;
    }

    public String sessionId() {
        return sessionId;
    }

    public FlowKey flow() {
        return flow;
    }

    public Direction direction() {
        return direction;
    }

    public String partyAddress() {
        return partyAddress;
    }

    public String poolId() {
        return poolId;
    }

    public String deviceId() {
        return deviceId;
    }

    public long bandwidthBps() {
        return bandwidthBps;
    }

    public int dscp() {
        return dscp;
    }

    public Integer maxLatencyMs() {
        return maxLatencyMs;
    }

    public HoldState state() {
        return state;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** The same hold in another state, expiring at {@code until}. */
    public Hold withState(HoldState newState, Instant until) {
        Hold h = new Hold(holdId, sessionId, flow, direction, partyAddress, poolId, deviceId, bandwidthBps, dscp,
                maxLatencyMs, newState, until);
        h.reservationId = reservationId;
        return h;
    }

    /** The same hold numbered {@code id}, in {@code newState}, expiring at {@code until}. */
    public Hold withId(long id, HoldState newState, Instant until) {
        Hold h = new Hold(id, sessionId, flow, direction, partyAddress, poolId, deviceId, bandwidthBps, dscp,
                maxLatencyMs, newState, until);
        h.reservationId = reservationId;
        return h;
    }

    /** The id of this hold's reservation on its device. */
    public String reservationId() {
        String id = reservationId;
        if (id == null) {
            id = reservationId(sessionId, flow, direction, partyAddress, poolId);
            reservationId = id;
        }
        return id;
    }

    /** The device reservation id for the given hold coordinates. */
    public static String reservationId(String sessionId, FlowKey flow, Direction d, String party, String pool) {
        if (flow == null) {
            return sessionId + "|null|" + d.label() + "|" + party + "|" + pool;
        }
        // the flow as FlowKey.toString() writes it, without building that string first
        return sessionId + "|" + flow.mediaComponent() + "." + flow.flow() + "|" + d.label() + "|" + party + "|" + pool;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Hold o
                && holdId == o.holdId
                && Objects.equals(sessionId, o.sessionId)
                && Objects.equals(flow, o.flow)
                && Objects.equals(direction, o.direction)
                && Objects.equals(partyAddress, o.partyAddress)
                && Objects.equals(poolId, o.poolId)
                && Objects.equals(deviceId, o.deviceId)
                && bandwidthBps == o.bandwidthBps
                && dscp == o.dscp
                && Objects.equals(maxLatencyMs, o.maxLatencyMs)
                && Objects.equals(state, o.state)
                && Objects.equals(expiresAt, o.expiresAt);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(holdId);
        h = 31 * h + Objects.hashCode(sessionId);
        h = 31 * h + Objects.hashCode(flow);
        h = 31 * h + Objects.hashCode(direction);
        h = 31 * h + Objects.hashCode(partyAddress);
        h = 31 * h + Objects.hashCode(poolId);
        h = 31 * h + Objects.hashCode(deviceId);
        h = 31 * h + Long.hashCode(bandwidthBps);
        h = 31 * h + Integer.hashCode(dscp);
        h = 31 * h + Objects.hashCode(maxLatencyMs);
        h = 31 * h + Objects.hashCode(state);
        h = 31 * h + Objects.hashCode(expiresAt);
        return h;
    }

    @Override
    public String toString() {
        return "Hold[" + "holdId=" + holdId + ", "
                + "sessionId=" + sessionId + ", "
                + "flow=" + flow + ", "
                + "direction=" + direction + ", "
                + "partyAddress=" + partyAddress + ", "
                + "poolId=" + poolId + ", "
                + "deviceId=" + deviceId + ", "
                + "bandwidthBps=" + bandwidthBps + ", "
                + "dscp=" + dscp + ", "
                + "maxLatencyMs=" + maxLatencyMs + ", "
                + "state=" + state + ", "
                + "expiresAt=" + expiresAt + "]";
    }
}
