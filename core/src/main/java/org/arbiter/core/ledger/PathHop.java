package org.arbiter.core.ledger;

import java.util.Objects;

/**
 * One pool on an access path and the device that enforces it.
 *
 * @param poolId the pool
 * @param deviceId the enforcing device, or {@code null} when the pool is admission-only
 */
public record PathHop(String poolId, String deviceId) {
    public PathHop {
        Objects.requireNonNull(poolId, "poolId");
    }
}
