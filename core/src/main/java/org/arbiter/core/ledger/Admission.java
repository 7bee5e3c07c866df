package org.arbiter.core.ledger;

import java.util.List;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;

/**
 * The outcome of an admission transaction.
 *
 * @param status what happened
 * @param holds the session's active holds after the transaction (empty when refused)
 * @param shortfalls for {@link Status#INSUFFICIENT_CAPACITY}: every flow direction that did not
 *     fit, with the bit/s that would have fitted; empty otherwise
 * @param released the holds this transaction ended because the session no longer asks for their
 *     reservation (an update that shrank the session), as they were before it; empty when it ended
 *     none. A hold whose reservation the session keeps with other parameters is replaced, not
 *     released, and is not listed.
 */
public record Admission(Status status, List<Hold> holds, List<Shortfall> shortfalls, List<Hold> released) {

    public Admission {
        holds = List.copyOf(holds);
        shortfalls = List.copyOf(shortfalls);
        released = List.copyOf(released);
    }

    /** Admission outcomes. */
    public enum Status {
        /** New or changed holds were written, in state RESERVED. */
        ADMITTED,
        /** The session already holds exactly this; nothing changed (duplicate request). */
        UNCHANGED,
        /** At least one pool lacks headroom; nothing was written. */
        INSUFFICIENT_CAPACITY
    }

    /**
     * A flow direction that did not fit.
     *
     * @param flow the flow
     * @param direction the direction as seen from the party
     * @param partyAddress the party whose path lacks room
     * @param poolId the tightest pool
     * @param requestedBps what was asked
     * @param availableBps what that path could still give this flow direction
     */
    public record Shortfall(FlowKey flow, Direction direction, String partyAddress, String poolId,
                            long requestedBps, long availableBps) {}

    public boolean admitted() {
        return status != Status.INSUFFICIENT_CAPACITY;
    }
}
