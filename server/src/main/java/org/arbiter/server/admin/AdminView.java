package org.arbiter.server.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the admin API shows, supplied by the composition root. Methods return plain records that
 * serialise to JSON. Implementations are thread-safe; the admin server calls them from its own
 * worker threads.
 */
public interface AdminView {

    /** A page of items. */
    record Page<T>(List<T> items, int limit, int offset, Integer next) {
        public static <T> Page<T> of(List<T> all, int limit, int offset) {
            int from = Math.min(offset, all.size());
            int to = Math.min(from + limit, all.size());
            return new Page<>(List.copyOf(all.subList(from, to)), limit, offset, to < all.size() ? to : null);
        }
    }

    /** One readiness check. */
    record Check(String name, boolean ok, String detail) {}

    /** Pools as a tree with capacity, use and headroom per direction. */
    List<?> pools();

    /** Sessions matching the filters (null = any). */
    Page<?> sessions(String subscriber, String originHost, int limit, int offset);

    /** One session with its holds and decision trace. */
    Optional<?> session(String sessionId);

    /** Recent decisions, optionally for one session. */
    Page<?> decisions(String sessionId, int limit, int offset);

    /** Billing records in a time range (ISO-8601 instants; null = open). */
    Page<?> chargingRecords(String from, String to, int limit, int offset);

    /** Device health and last reconcile, per device. */
    List<?> adapters();

    /** Runs a reconcile of one device now; empty when the device is unknown. */
    Optional<?> reconcile(String deviceId);

    /** Policy version and load errors. */
    Object policy();

    /** Reloads the policy now and returns the outcome. */
    Object reloadPolicy();

    /** Diameter peers and their states. */
    List<?> peers();

    /** Readiness checks: ledger reachable, policy loaded, Diameter listener accepting. */
    List<Check> readiness();

    /** Extra top-level facts for {@code GET /api}. */
    default Map<String, Object> about() {
        return Map.of();
    }
}
