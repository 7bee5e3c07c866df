package org.arbiter.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.qos.Direction;

/**
 * Makes the stored pools and attachments equal to a topology, inside the caller's transaction.
 *
 * <p>Locks: the {@code ledger_state} row first (one apply at a time), then the pools it changes or
 * removes, in id order (the ledger's lock order). It never writes holds: a hold's enforcing device
 * is read through its pool, so a pool's new device applies to its active holds at once. Pools it
 * adds are new rows nobody else can lock.
 */
final class TopologyApply {

    private static final int BATCH = 1000;

    private record Stored(String id, String parent, String device, long capUl, long capDl, double fraction,
                          boolean retired) {
        boolean sameAs(PoolSpec p) {
            return !retired && Objects.equals(parent, p.parent()) && Objects.equals(device, p.deviceId())
                    && capUl == p.uplinkCapacityBps() && capDl == p.downlinkCapacityBps() && fraction == p.admissibleFraction();
        }
    }

    private TopologyApply() {}

    static TopologyChange apply(Connection c, Topology next, boolean force, Instant now, Runnable wrote)
            throws SQLException {
        long version;
        try (PreparedStatement ps = c.prepareStatement("SELECT topology_version FROM ledger_state WHERE id = 1 FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("ledger_state has no row; the schema is damaged");
            }
            version = rs.getLong(1);
        }
        Map<String, Stored> stored = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, parent_id, device_id, capacity_ul, capacity_dl, "
                + "admissible_fraction, retired FROM pools");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                stored.put(rs.getString(1), new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5), rs.getDouble(6), rs.getBoolean(7)));
            }
        }
        Map<String, PoolSpec> wanted = new TreeMap<>();
        next.pools().forEach(p -> wanted.put(p.id(), p));

        List<PoolSpec> added = new ArrayList<>();
        List<PoolSpec> changed = new ArrayList<>();
        SortedSet<String> gone = new TreeSet<>();
        for (PoolSpec p : wanted.values()) {
            Stored s = stored.get(p.id());
            if (s == null) {
                added.add(p);
            } else if (!s.sameAs(p)) {
                changed.add(p);
            }
        }
        for (Stored s : stored.values()) {
            if (!wanted.containsKey(s.id())) {
                gone.add(s.id());
            }
        }
        SortedSet<String> toLock = new TreeSet<>(gone);
        changed.forEach(p -> toLock.add(p.id()));
        Map<String, long[]> used = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT used_ul, used_dl FROM pools WHERE id = ? FOR UPDATE")) {
            for (String id : toLock) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    used.put(id, new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
        }
        List<CapacityConflict> conflicts = new ArrayList<>();
        for (PoolSpec p : changed) {
            long[] u = used.get(p.id());
            for (Direction d : Direction.values()) {
                long inUse = u[d == Direction.UPLINK ? 0 : 1];
                if (inUse > p.admissible(d)) {
                    conflicts.add(new CapacityConflict(p.id(), d, inUse, p.admissible(d)));
                }
            }
        }
        List<String> removed = new ArrayList<>();
        List<String> retired = new ArrayList<>();
        for (String id : gone) {
            long[] u = used.get(id);
            if (u[0] == 0 && u[1] == 0) {
                removed.add(id);
                continue;
            }
            if (!stored.get(id).retired()) {
                retired.add(id);
                for (Direction d : Direction.values()) {
                    long inUse = u[d == Direction.UPLINK ? 0 : 1];
                    if (inUse > 0) {
                        conflicts.add(new CapacityConflict(id, d, inUse, 0));
                    }
                }
            }
        }
        if (!conflicts.isEmpty() && !force) {
            throw new TopologyConflictException(conflicts);
        }

        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pools (id, parent_id, device_id, capacity_ul, "
                + "capacity_dl, admissible_fraction, admissible_ul, admissible_dl, used_ul, used_dl, retired, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, FALSE, ?)")) {
            int n = 0;
            for (PoolSpec p : added) {
                bindSpec(ps, 1, p);
                JdbcLedger.setTime(ps, 9, now);
                ps.addBatch();
                if (++n % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        int holdsMoved = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE pools SET id = ?, parent_id = ?, device_id = ?, "
                + "capacity_ul = ?, capacity_dl = ?, admissible_fraction = ?, admissible_ul = ?, admissible_dl = ?, "
                + "retired = FALSE, updated_at = ? WHERE id = ?");
             PreparedStatement move = c.prepareStatement("SELECT COUNT(*) FROM holds WHERE pool_id = ? "
                     + "AND state IN ('RESERVED', 'COMMITTED')")) {
            for (PoolSpec p : changed) {
                bindSpec(ps, 1, p);
                JdbcLedger.setTime(ps, 9, now);
                ps.setString(10, p.id());
                ps.executeUpdate();
                if (!Objects.equals(stored.get(p.id()).device(), p.deviceId())) {
                    move.setString(1, p.id());
                    try (ResultSet rs = move.executeQuery()) {
                        rs.next();
                        holdsMoved += rs.getInt(1);
                    }
                }
            }
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM pools WHERE id = ?");
             PreparedStatement ret = c.prepareStatement("UPDATE pools SET parent_id = NULL, capacity_ul = 0, "
                     + "capacity_dl = 0, admissible_ul = 0, admissible_dl = 0, retired = TRUE, updated_at = ? WHERE id = ?")) {
            for (String id : removed) {
                del.setString(1, id);
                del.addBatch();
            }
            del.executeBatch();
            for (String id : retired) {
                JdbcLedger.setTime(ret, 1, now);
                ret.setString(2, id);
                ret.addBatch();
            }
            ret.executeBatch();
        }

        Map<String, String> storedAttachments = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT prefix, pool_id FROM attachments");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                storedAttachments.put(rs.getString(1), rs.getString(2));
            }
        }
        Map<String, String> wantedAttachments = new TreeMap<>();
        for (Attachment a : next.attachments()) {
            wantedAttachments.put(a.prefix().toString(), a.pool());
        }
        List<String> attAdded = new ArrayList<>();
        List<String> attChanged = new ArrayList<>();
        List<String> attRemoved = new ArrayList<>();
        wantedAttachments.forEach((prefix, pool) -> {
            String was = storedAttachments.get(prefix);
            if (was == null) {
                attAdded.add(prefix);
            } else if (!was.equals(pool)) {
                attChanged.add(prefix);
            }
        });
        storedAttachments.keySet().stream().filter(p -> !wantedAttachments.containsKey(p)).forEach(attRemoved::add);
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO attachments (prefix, pool_id, updated_at) VALUES (?, ?, ?)");
             PreparedStatement upd = c.prepareStatement("UPDATE attachments SET pool_id = ?, updated_at = ? WHERE prefix = ?");
             PreparedStatement del = c.prepareStatement("DELETE FROM attachments WHERE prefix = ?")) {
            int n = 0;
            for (String p : attAdded) {
                ins.setString(1, p);
                ins.setString(2, wantedAttachments.get(p));
                JdbcLedger.setTime(ins, 3, now);
                ins.addBatch();
                if (++n % BATCH == 0) {
                    ins.executeBatch();
                }
            }
            ins.executeBatch();
            for (String p : attChanged) {
                upd.setString(1, wantedAttachments.get(p));
                JdbcLedger.setTime(upd, 2, now);
                upd.setString(3, p);
                upd.addBatch();
            }
            upd.executeBatch();
            for (String p : attRemoved) {
                del.setString(1, p);
                del.addBatch();
            }
            del.executeBatch();
        }

        List<String> addedIds = added.stream().map(PoolSpec::id).toList();
        List<String> changedIds = changed.stream().map(PoolSpec::id).toList();
        boolean any = !(addedIds.isEmpty() && changedIds.isEmpty() && removed.isEmpty() && retired.isEmpty()
                && attAdded.isEmpty() && attChanged.isEmpty() && attRemoved.isEmpty());
        if (any) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_state SET topology_version = ?, "
                    + "topology_applied_at = ? WHERE id = 1")) {
                ps.setLong(1, ++version);
                JdbcLedger.setTime(ps, 2, now);
                ps.executeUpdate();
            }
            wrote.run();
        }
        return new TopologyChange(version, addedIds, changedIds, removed, retired, attAdded, attChanged, attRemoved,
                force ? conflicts : List.of(), holdsMoved);
    }

    private static void bindSpec(PreparedStatement ps, int first, PoolSpec p) throws SQLException {
        ps.setString(first, p.id());
        ps.setString(first + 1, p.parent());
        ps.setString(first + 2, p.deviceId());
        ps.setLong(first + 3, p.uplinkCapacityBps());
        ps.setLong(first + 4, p.downlinkCapacityBps());
        ps.setDouble(first + 5, p.admissibleFraction());
        ps.setLong(first + 6, p.admissible(Direction.UPLINK));
        ps.setLong(first + 7, p.admissible(Direction.DOWNLINK));
    }
}
