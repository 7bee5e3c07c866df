package org.arbiter.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.ledger.PathHop;
import org.arbiter.core.qos.Direction;

/**
 * The arithmetic of one admission, without I/O: which holds the request wants, whether that is
 * exactly what the session holds already, which pools must be locked, whether they have room, and
 * how the pools' use changes. The same rules as core's {@code InMemoryLedger}:
 * <ul>
 *   <li>one hold per (flow, direction, party, pool), named by {@link Hold#reservationId()};</li>
 *   <li>a request that asks exactly what the session holds (same holds, bandwidths and DSCP) is
 *       unchanged;</li>
 *   <li>the session's own active holds count as available to it, so an update needs room only for
 *       its growth;</li>
 *   <li>a flow direction is short when any pool of its path lacks room for everything the request
 *       puts on that pool in that direction; it reports the tightest pool of its path.</li>
 * </ul>
 */
final class AdmissionPlan {

    /** One wanted hold. */
    record Wanted(String reservationId, HoldRequest request, PathHop hop) {
        long bandwidthBps() {
            return request.bandwidthBps();
        }

        Direction direction() {
            return request.direction();
        }

        String poolId() {
            return hop.poolId();
        }
    }

    /** A pool as locked by the transaction. */
    record PoolState(String id, String deviceId, long admissibleUl, long admissibleDl, long usedUl, long usedDl) {
        long admissible(Direction d) {
            return d == Direction.UPLINK ? admissibleUl : admissibleDl;
        }

        long used(Direction d) {
            return d == Direction.UPLINK ? usedUl : usedDl;
        }
    }

    /** A pool and a direction. */
    record PoolDirection(String poolId, Direction direction) {}

    private final AdmissionRequest request;
    private final Map<String, Wanted> wanted;
    private final Map<String, Hold> current;

    private AdmissionPlan(AdmissionRequest request, Map<String, Wanted> wanted, Map<String, Hold> current) {
        this.request = request;
        this.wanted = wanted;
        this.current = current;
    }

    /**
     * Plans a request against the session's active holds.
     *
     * @param currentActive the session's RESERVED and COMMITTED holds (empty for a new session)
     */
    static AdmissionPlan of(AdmissionRequest request, Collection<Hold> currentActive) {
        Map<String, Wanted> wanted = new LinkedHashMap<>();
        for (HoldRequest hr : request.holds()) {
            for (PathHop hop : hr.path().hops()) {
                String rid = Hold.reservationId(request.sessionId(), hr.flow(), hr.direction(), hr.path().address(),
                        hop.poolId());
                wanted.put(rid, new Wanted(rid, hr, hop));
            }
        }
        Map<String, Hold> current = new LinkedHashMap<>();
        for (Hold h : currentActive) {
            current.put(h.reservationId(), h);
        }
        return new AdmissionPlan(request, wanted, current);
    }

    /** The wanted holds, in request order. */
    Collection<Wanted> wanted() {
        return wanted.values();
    }

    /** The session's active hold with the same reservation id, or {@code null}. */
    Hold current(String reservationId) {
        return current.get(reservationId);
    }

    /** The session's active holds the request no longer wants. */
    List<Hold> dropped() {
        return current.values().stream().filter(h -> !wanted.containsKey(h.reservationId())).toList();
    }

    /** True when a current hold carries exactly what is wanted (bandwidth and marking). */
    static boolean same(Hold current, Wanted w) {
        return current != null && current.bandwidthBps() == w.bandwidthBps() && current.dscp() == w.request().dscp();
    }

    /** True when the request asks exactly what the session already holds. */
    boolean unchanged() {
        return !current.isEmpty() && wanted.size() == current.size()
                && wanted.values().stream().allMatch(w -> same(current.get(w.reservationId()), w));
    }

    /** Every pool the transaction touches, in the global lock order (sorted ids). */
    SortedSet<String> poolsToLock() {
        SortedSet<String> ids = new TreeSet<>();
        wanted.values().forEach(w -> ids.add(w.poolId()));
        current.values().forEach(h -> ids.add(h.poolId()));
        return ids;
    }

    /**
     * The flow directions that do not fit, or an empty list when everything fits.
     *
     * @param pools the locked pools, by id; must contain every id of {@link #poolsToLock()}
     */
    List<Admission.Shortfall> shortfalls(Map<String, PoolState> pools) {
        Map<PoolDirection, Long> own = new HashMap<>();
        for (Hold h : current.values()) {
            own.merge(new PoolDirection(h.poolId(), h.direction()), h.bandwidthBps(), Long::sum);
        }
        Map<PoolDirection, Long> asked = new HashMap<>();
        for (Wanted w : wanted.values()) {
            asked.merge(new PoolDirection(w.poolId(), w.direction()), w.bandwidthBps(), Long::sum);
        }
        List<Admission.Shortfall> out = new ArrayList<>();
        for (HoldRequest hr : request.holds()) {
            long available = Long.MAX_VALUE;
            String tightest = null;
            boolean isShort = false;
            for (PathHop hop : hr.path().hops()) {
                PoolState p = pools.get(hop.poolId());
                PoolDirection k = new PoolDirection(hop.poolId(), hr.direction());
                long headroom = p.admissible(hr.direction()) - (p.used(hr.direction()) - own.getOrDefault(k, 0L));
                if (asked.getOrDefault(k, 0L) > headroom) {
                    isShort = true;
                }
                if (headroom < available) {
                    available = headroom;
                    tightest = p.id();
                }
            }
            if (isShort) {
                out.add(new Admission.Shortfall(hr.flow(), hr.direction(), hr.path().address(), tightest,
                        hr.bandwidthBps(), Math.max(0, available)));
            }
        }
        return out;
    }

    /** How the use of every touched pool changes (wanted minus current), zero entries left out. */
    Map<PoolDirection, Long> deltas() {
        Map<PoolDirection, Long> d = new LinkedHashMap<>();
        for (Wanted w : wanted.values()) {
            d.merge(new PoolDirection(w.poolId(), w.direction()), w.bandwidthBps(), Long::sum);
        }
        for (Hold h : current.values()) {
            d.merge(new PoolDirection(h.poolId(), h.direction()), -h.bandwidthBps(), Long::sum);
        }
        d.values().removeIf(v -> v == 0L);
        return d;
    }
}
