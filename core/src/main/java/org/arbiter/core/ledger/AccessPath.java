package org.arbiter.core.ledger;

import java.util.List;
import java.util.Objects;

/**
 * The chain of capacity pools a subscriber's traffic crosses, leaf first (line, DSLAM uplink,
 * BRAS). The same chain carries both directions; each pool has a capacity per direction.
 *
 * @param address the subscriber address that was resolved
 * @param prefix the attachment prefix that matched
 * @param hops the pools, leaf first
 */
public record AccessPath(String address, IpPrefix prefix, List<PathHop> hops) {
    public AccessPath {
        Objects.requireNonNull(address, "address");
        hops = List.copyOf(hops);
        if (hops.isEmpty()) {
            throw new IllegalArgumentException("an access path has at least one pool");
        }
    }
}
