package org.arbiter.core.adapter;

import java.util.Objects;

/**
 * The result of one operation on one reservation.
 *
 * @param reservationId the reservation
 * @param status what happened
 * @param detail device-specific detail (error status, rpc-error tag, ...), never a secret
 */
public record Outcome(String reservationId, OutcomeStatus status, String detail) {
    public Outcome {
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    public static Outcome of(String id, OutcomeStatus status) {
        return new Outcome(id, status, "");
    }
}
