package org.arbiter.core.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The access networks as data: pools nested leaf to root, and the attachments that map subscriber
 * prefixes to leaf pools. Immutable once built; {@link #of} validates.
 *
 * <p>Path resolution picks the longest matching prefix and walks parent links to the root.
 */
public final class Topology {

    private final Map<String, PoolSpec> pools;
    private final List<Attachment> attachments;

    private Topology(Map<String, PoolSpec> pools, List<Attachment> attachments) {
        this.pools = pools;
        this.attachments = attachments;
    }

    /**
     * Builds a topology after checking it: unique pool ids, known parents, no cycles, attachments
     * to known pools, no two identical prefixes.
     *
     * @throws TopologyException listing every problem found
     */
    public static Topology of(List<PoolSpec> poolList, List<Attachment> attachmentList) {
        List<String> errors = new ArrayList<>();
        Map<String, PoolSpec> pools = new LinkedHashMap<>();
        for (PoolSpec p : poolList) {
            if (pools.putIfAbsent(p.id(), p) != null) {
                errors.add("pool '" + p.id() + "' is defined twice");
            }
        }
        for (PoolSpec p : pools.values()) {
            if (p.parent() != null && !pools.containsKey(p.parent())) {
                errors.add("pool '" + p.id() + "' has unknown parent '" + p.parent() + "'");
            }
        }
        for (PoolSpec p : pools.values()) {
            Set<String> seen = new HashSet<>();
            PoolSpec cur = p;
            while (cur != null && cur.parent() != null) {
                if (!seen.add(cur.id())) {
                    errors.add("pool '" + p.id() + "' is part of a parent cycle");
                    break;
                }
                cur = pools.get(cur.parent());
            }
        }
        Map<IpPrefix, String> seenPrefixes = new HashMap<>();
        for (Attachment a : attachmentList) {
            if (!pools.containsKey(a.pool())) {
                errors.add("attachment " + a.prefix() + " names unknown pool '" + a.pool() + "'");
            }
            String prev = seenPrefixes.putIfAbsent(a.prefix(), a.pool());
            if (prev != null) {
                errors.add("prefix " + a.prefix() + " is attached twice (pools '" + prev + "' and '" + a.pool() + "')");
            }
        }
        if (!errors.isEmpty()) {
            throw new TopologyException(errors);
        }
        List<Attachment> sorted = new ArrayList<>(attachmentList);
        sorted.sort((x, y) -> Integer.compare(y.prefix().length(), x.prefix().length()));
        return new Topology(java.util.Collections.unmodifiableMap(pools), List.copyOf(sorted));
    }

    /** Pools in definition order. */
    public List<PoolSpec> pools() {
        return List.copyOf(pools.values());
    }

    public Optional<PoolSpec> pool(String id) {
        return Optional.ofNullable(pools.get(id));
    }

    /** Attachments, longest prefix first. */
    public List<Attachment> attachments() {
        return attachments;
    }

    /** The path of a subscriber address, leaf first, or empty when no prefix covers it. */
    public Optional<AccessPath> resolve(String address) {
        byte[] a = IpPrefix.parseAddress(address);
        if (a == null) {
            return Optional.empty();
        }
        for (Attachment att : attachments) {
            if (att.prefix().contains(a)) {
                List<PathHop> hops = new ArrayList<>();
                PoolSpec cur = pools.get(att.pool());
                while (cur != null) {
                    hops.add(new PathHop(cur.id(), cur.deviceId()));
                    cur = cur.parent() == null ? null : pools.get(cur.parent());
                }
                return Optional.of(new AccessPath(address, att.prefix(), hops));
            }
        }
        return Optional.empty();
    }

    /** Thrown when a topology is inconsistent; {@link #errors()} lists every problem. */
    public static final class TopologyException extends IllegalArgumentException {
        private final List<String> errors;

        public TopologyException(List<String> errors) {
            super("invalid topology: " + String.join("; ", errors));
            this.errors = List.copyOf(errors);
        }

        public List<String> errors() {
            return errors;
        }
    }
}
