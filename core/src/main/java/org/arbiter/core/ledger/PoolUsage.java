package org.arbiter.core.ledger;

/**
 * Capacity, use and headroom of one pool, per direction (bit/s).
 *
 * @param pool the pool
 * @param usedUplinkBps active holds UE to network
 * @param usedDownlinkBps active holds network to UE
 */
public record PoolUsage(PoolSpec pool, long usedUplinkBps, long usedDownlinkBps) {

    public long headroomUplinkBps() {
        return pool.admissible(org.arbiter.core.qos.Direction.UPLINK) - usedUplinkBps;
    }

    public long headroomDownlinkBps() {
        return pool.admissible(org.arbiter.core.qos.Direction.DOWNLINK) - usedDownlinkBps;
    }
}
