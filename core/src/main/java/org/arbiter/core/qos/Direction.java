package org.arbiter.core.qos;

/**
 * The direction of traffic relative to one user equipment (UE): {@link #UPLINK} leaves the UE
 * towards the network, {@link #DOWNLINK} comes from the network to the UE. Capacity pools carry a
 * capacity for each direction.
 */
public enum Direction {
    UPLINK, DOWNLINK;

    /** The same traffic seen from the other end of the call. */
    public Direction opposite() {
        return this == UPLINK ? DOWNLINK : UPLINK;
    }

    /** Short label used in ids and tables: {@code UL} or {@code DL}. */
    public String label() {
        return this == UPLINK ? "UL" : "DL";
    }
}
