package org.arbiter.core.ledger;

import java.util.Objects;

/**
 * One capacity pool of the access topology: a line, a DSLAM uplink, a BRAS, a CMTS channel.
 *
 * @param id unique pool id
 * @param parent the pool this one feeds into, or {@code null} for a root
 * @param uplinkCapacityBps capacity UE to network, bit/s
 * @param downlinkCapacityBps capacity network to UE, bit/s
 * @param admissibleFraction the fraction of capacity that may be reserved, 0 &lt; f &le; 10
 *     (above 1 means oversubscription)
 * @param deviceId the device that enforces reservations on this pool, or {@code null} when none
 */
public record PoolSpec(
        String id,
        String parent,
        long uplinkCapacityBps,
        long downlinkCapacityBps,
        double admissibleFraction,
        String deviceId) {

    public PoolSpec {
        Objects.requireNonNull(id, "id");
        if (uplinkCapacityBps < 0 || downlinkCapacityBps < 0) {
            throw new IllegalArgumentException("pool " + id + ": capacity must be >= 0");
        }
        if (!(admissibleFraction > 0 && admissibleFraction <= 10)) {
            throw new IllegalArgumentException(
                    "pool " + id + ": admissibleFraction must be in (0, 10], was " + admissibleFraction);
        }
    }

    /** The bit/s that may be reserved in one direction. */
    public long admissible(org.arbiter.core.qos.Direction d) {
        long cap = d == org.arbiter.core.qos.Direction.UPLINK ? uplinkCapacityBps : downlinkCapacityBps;
        return (long) Math.floor(cap * admissibleFraction);
    }
}
