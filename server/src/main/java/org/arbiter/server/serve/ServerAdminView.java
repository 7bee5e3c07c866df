package org.arbiter.server.serve;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.arbiter.core.engine.PdpEngine;
import org.arbiter.core.engine.ReconcileReport;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.qos.Direction;
import org.arbiter.ledger.OperatorLedger;
import org.arbiter.server.admin.AdminView;
import org.arbiter.server.metrics.MeteredDeviceAdapter;

/** The admin API's view of a running server. */
final class ServerAdminView implements AdminView {

    private final OperatorLedger ledger;
    private final PdpEngine engine;
    private final Map<String, MeteredDeviceAdapter> devices;
    private final PolicyHolder policy;
    private final Supplier<List<?>> peers;
    private final Supplier<List<Check>> readiness;
    final Map<String, ReconcileReport> lastReconcile = new ConcurrentHashMap<>();
    final Map<String, Instant> lastReconcileAt = new ConcurrentHashMap<>();

    ServerAdminView(OperatorLedger ledger, PdpEngine engine, Map<String, MeteredDeviceAdapter> devices, PolicyHolder policy,
                    Supplier<List<?>> peers, Supplier<List<Check>> readiness) {
        this.ledger = ledger;
        this.engine = engine;
        this.devices = devices;
        this.policy = policy;
        this.peers = peers;
        this.readiness = readiness;
    }

    /** A pool with its children. */
    record PoolNode(String id, String device, Capacity uplink, Capacity downlink, List<PoolNode> children) {}

    /** Capacity and use in one direction. */
    record Capacity(long capacityBps, long admissibleBps, long usedBps, long headroomBps, double utilisation) {}

    @Override
    public List<?> pools() {
        List<PoolUsage> all = ledger.pools();
        Map<String, PoolNode> nodes = new LinkedHashMap<>();
        for (PoolUsage u : all) {
            nodes.put(u.pool().id(), new PoolNode(u.pool().id(), u.pool().deviceId(),
                    capacity(u, Direction.UPLINK), capacity(u, Direction.DOWNLINK), new ArrayList<>()));
        }
        List<PoolNode> roots = new ArrayList<>();
        for (PoolUsage u : all) {
            PoolNode n = nodes.get(u.pool().id());
            PoolNode parent = u.pool().parent() == null ? null : nodes.get(u.pool().parent());
            if (parent == null) {
                roots.add(n);
            } else {
                parent.children().add(n);
            }
        }
        return roots;
    }

    private static Capacity capacity(PoolUsage u, Direction d) {
        long cap = d == Direction.UPLINK ? u.pool().uplinkCapacityBps() : u.pool().downlinkCapacityBps();
        long adm = u.pool().admissible(d);
        long used = d == Direction.UPLINK ? u.usedUplinkBps() : u.usedDownlinkBps();
        return new Capacity(cap, adm, used, adm - used, adm <= 0 ? 0 : (double) used / adm);
    }

    @Override
    public Page<?> sessions(String subscriber, String originHost, int limit, int offset) {
        return Page.of(ledger.sessions(subscriber, originHost, limit + offset + 1), limit, offset);
    }

    @Override
    public Optional<?> session(String sessionId) {
        return ledger.session(sessionId).map(v -> Map.of("session", v, "decisions", ledger.decisions(sessionId)));
    }

    @Override
    public Page<?> decisions(String sessionId, int limit, int offset) {
        return Page.of(sessionId == null ? ledger.recentDecisions(limit + offset + 1) : ledger.decisions(sessionId), limit, offset);
    }

    @Override
    public Page<?> chargingRecords(String from, String to, int limit, int offset) {
        Instant f = instant("from", from, Instant.EPOCH);
        Instant t = instant("to", to, Instant.now().plusSeconds(1));
        return Page.of(ledger.chargingRecords(f, t, limit + offset + 1), limit, offset);
    }

    private static Instant instant(String name, String v, Instant dflt) {
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + "=" + v + " is not an ISO-8601 instant (2026-11-27T10:00:00Z)");
        }
    }

    /** One device as the API shows it. */
    record DeviceStatus(String device, String adapter, Object health, Object lastReconcile, Instant lastReconcileAt) {}

    @Override
    public List<?> adapters() {
        List<DeviceStatus> out = new ArrayList<>();
        devices.forEach((id, d) -> out.add(new DeviceStatus(id, d.adapterName(), d.lastHealth(), lastReconcile.get(id),
                lastReconcileAt.get(id))));
        return out;
    }

    @Override
    public Optional<?> reconcile(String deviceId) {
        if (!devices.containsKey(deviceId)) {
            return Optional.empty();
        }
        ReconcileReport r = engine.reconcile(deviceId);
        lastReconcile.put(deviceId, r);
        lastReconcileAt.put(deviceId, Instant.now());
        return Optional.of(r);
    }

    @Override
    public Object policy() {
        return policy.status();
    }

    @Override
    public Object reloadPolicy() {
        return policy.reload();
    }

    @Override
    public List<?> peers() {
        return peers.get();
    }

    @Override
    public List<Check> readiness() {
        return readiness.get();
    }
}
