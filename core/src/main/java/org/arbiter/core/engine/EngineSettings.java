package org.arbiter.core.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Timers of the engine.
 *
 * @param reserveTimeout how long a RESERVED hold may wait for its devices before it expires
 *     (PacketCable's T1 plays the same role)
 * @param defaultAuthorizationLifetime how long a committed session lives without refresh when the
 *     request carries no Authorization-Lifetime
 * @param maxAuthorizationLifetime the cap on a requested Authorization-Lifetime
 */
public record EngineSettings(Duration reserveTimeout, Duration defaultAuthorizationLifetime, Duration maxAuthorizationLifetime) {
    public EngineSettings {
        Objects.requireNonNull(reserveTimeout, "reserveTimeout");
        Objects.requireNonNull(defaultAuthorizationLifetime, "defaultAuthorizationLifetime");
        Objects.requireNonNull(maxAuthorizationLifetime, "maxAuthorizationLifetime");
    }

    /** 30 s to reserve, 2 h default lifetime (as Kamailio's rx_auth_expiry), 24 h at most. */
    public static EngineSettings defaults() {
        return new EngineSettings(Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofHours(24));
    }
}
