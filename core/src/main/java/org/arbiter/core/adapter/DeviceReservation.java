package org.arbiter.core.adapter;

import java.util.Objects;
import org.arbiter.core.qos.Direction;

/**
 * What one device must enforce for one flow direction of one session on one pool.
 *
 * <p>{@link #id()} is stable across restarts and nodes (derived from the ledger's hold), so a
 * device row can always be matched to its hold. Adapters derive their own row index or name
 * from it.
 *
 * @param id reservation id
 * @param sessionId the Diameter Session-Id
 * @param poolId the pool on the device
 * @param direction the direction as seen from the subscriber
 * @param subscriberAddress the subscriber address (IPv4 or IPv6 literal)
 * @param rateBps guaranteed rate, bit/s
 * @param burstBytes burst size in bytes
 * @param dscp DiffServ code point 0..63
 * @param maxLatencyMs latency target, or {@code null}
 */
public record DeviceReservation(
        String id,
        String sessionId,
        String poolId,
        Direction direction,
        String subscriberAddress,
        long rateBps,
        long burstBytes,
        int dscp,
        Integer maxLatencyMs) {

    public DeviceReservation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(direction, "direction");
        if (rateBps < 0 || burstBytes < 0) {
            throw new IllegalArgumentException("reservation " + id + ": negative rate or burst");
        }
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("reservation " + id + ": dscp must be 0..63, was " + dscp);
        }
    }

    /** The default burst: 20 ms at the rate, at least one full-size packet. */
    public static long defaultBurst(long rateBps) {
        return Math.max(1500, rateBps / 8 / 50);
    }
}
