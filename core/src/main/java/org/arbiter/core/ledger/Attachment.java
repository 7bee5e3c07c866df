package org.arbiter.core.ledger;

import java.util.Objects;

/**
 * Maps subscriber addresses to the leaf pool they attach to.
 *
 * @param prefix an IPv4 or IPv6 prefix ({@code 10.1.0.0/24}, {@code 2001:db8::/56})
 * @param pool the leaf pool id
 */
public record Attachment(IpPrefix prefix, String pool) {

    public Attachment {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(pool, "pool");
    }
}
