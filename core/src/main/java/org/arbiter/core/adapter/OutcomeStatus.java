package org.arbiter.core.adapter;

/** The typed result of one device operation. Device faults are values, never exceptions. */
public enum OutcomeStatus {
    /** The reservation was written (new, or replaced with different parameters). */
    APPLIED,
    /** An identical reservation was already present; nothing changed. */
    ALREADY_PRESENT,
    /** The reservation was removed. */
    REMOVED,
    /** There was no such reservation to remove. */
    NOT_FOUND,
    /** The device refused the change (bad value, no resources, no access); retrying will not help. */
    REJECTED,
    /** The device could not be reached (connection refused, authentication failed). */
    UNREACHABLE,
    /** The device did not answer within the timeout. */
    TIMEOUT,
    /** Anything else: the detail says what. */
    FAILED;

    /** True for outcomes after which the device holds the desired state. */
    public boolean ok() {
        return this == APPLIED || this == ALREADY_PRESENT || this == REMOVED || this == NOT_FOUND;
    }
}
