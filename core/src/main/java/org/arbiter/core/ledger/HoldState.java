package org.arbiter.core.ledger;

/**
 * The life of a hold on a capacity pool.
 *
 * <pre>
 *   RESERVED --commit--> COMMITTED --release--> RELEASED
 *      |                     |
 *      +--timer--> EXPIRED   +--lifetime passed--> EXPIRED
 *      +--release--> RELEASED
 * </pre>
 *
 * RESERVED and COMMITTED count against capacity; RELEASED and EXPIRED do not and are final.
 */
public enum HoldState {
    RESERVED, COMMITTED, RELEASED, EXPIRED;

    /** True while the hold takes capacity. */
    public boolean active() {
        return this == RESERVED || this == COMMITTED;
    }
}
