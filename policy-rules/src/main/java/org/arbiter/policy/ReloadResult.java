package org.arbiter.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a reload did.
 *
 * @param status whether the new set replaced the running one
 * @param version the version in force after the reload
 * @param previousVersion the version in force before it
 * @param errors why the new set was refused; empty unless {@link Status#REJECTED}
 * @param at when the reload finished
 */
public record ReloadResult(Status status, String version, String previousVersion, List<PolicyError> errors, Instant at) {

    /** The three outcomes of a reload. */
    public enum Status {
        /** The files changed and the new set is now in force. */
        APPLIED,
        /** The files have the same content as the running set; nothing was swapped. */
        UNCHANGED,
        /** The new set is invalid; the running set stays in force. */
        REJECTED
    }

    public ReloadResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(version, "version");
        errors = List.copyOf(errors);
    }

    public boolean applied() {
        return status == Status.APPLIED;
    }
}
