package org.arbiter.core.adapter;

import java.time.Instant;
import java.util.Objects;

/**
 * How a device is doing, as its adapter last saw it.
 *
 * @param status UP, DEGRADED or DOWN
 * @param detail what was observed
 * @param checkedAt when
 */
public record DeviceHealth(Status status, String detail, Instant checkedAt) {
    public DeviceHealth {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(checkedAt, "checkedAt");
        detail = detail == null ? "" : detail;
    }

    /** Health states. */
    public enum Status { UP, DEGRADED, DOWN }
}
