package org.arbiter.ledger;

import java.util.List;

/**
 * Thrown by {@link JdbcLedger#applyTopology} when the new topology would leave pools with less
 * admissible capacity than their active holds use, and {@code force} was not given. Nothing was
 * changed.
 */
public final class TopologyConflictException extends RuntimeException {

    private final transient List<CapacityConflict> conflicts;

    TopologyConflictException(List<CapacityConflict> conflicts) {
        super("the topology shrinks " + conflicts.size() + " pool capacit" + (conflicts.size() == 1 ? "y" : "ies")
                + " below current use (apply with force to accept): " + conflicts);
        this.conflicts = List.copyOf(conflicts);
    }

    /** Every pool and direction that does not fit. */
    public List<CapacityConflict> conflicts() {
        return conflicts;
    }
}
