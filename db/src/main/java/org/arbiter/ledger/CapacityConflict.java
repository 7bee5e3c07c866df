package org.arbiter.ledger;

import org.arbiter.core.qos.Direction;

/**
 * A pool whose new admissible capacity is below what its active holds use (a removed pool counts
 * as capacity 0).
 *
 * @param poolId the pool
 * @param direction the direction that does not fit
 * @param usedBps bit/s its active holds use now
 * @param newAdmissibleBps bit/s the new topology allows
 */
public record CapacityConflict(String poolId, Direction direction, long usedBps, long newAdmissibleBps) {

    @Override
    public String toString() {
        return "pool '" + poolId + "' " + direction.label() + ": " + usedBps + " bit/s in use, new admissible capacity "
                + newAdmissibleBps + " bit/s";
    }
}
