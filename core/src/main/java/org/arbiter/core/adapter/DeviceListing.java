package org.arbiter.core.adapter;

import java.util.List;
import java.util.Objects;

/**
 * What a device holds, for reconcile.
 *
 * @param status {@link OutcomeStatus#APPLIED} when the listing is complete; otherwise why not
 * @param reservations the reservations found (complete only when status is APPLIED)
 * @param detail what went wrong, or empty
 */
public record DeviceListing(OutcomeStatus status, List<DeviceReservation> reservations, String detail) {
    public DeviceListing {
        Objects.requireNonNull(status, "status");
        reservations = List.copyOf(reservations);
        detail = detail == null ? "" : detail;
    }

    public static DeviceListing of(List<DeviceReservation> reservations) {
        return new DeviceListing(OutcomeStatus.APPLIED, reservations, "");
    }

    public static DeviceListing failed(OutcomeStatus status, String detail) {
        return new DeviceListing(status, List.of(), detail);
    }

    public boolean complete() {
        return status == OutcomeStatus.APPLIED;
    }
}
