package org.arbiter.adapter.snmp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.arbiter.adapter.snmp.DeviceModel.Column;
import org.arbiter.adapter.snmp.DeviceModel.Source;
import org.arbiter.adapter.snmp.DeviceModel.Table;
import org.arbiter.adapter.snmp.DeviceModel.Unencodable;
import org.arbiter.adapter.snmp.SnmpSession.Reply;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceListing;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;
import org.arbiter.core.qos.Direction;
import org.snmp4j.PDU;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces reservations on one SNMP agent as rows of the tables its {@link DeviceModel} describes.
 *
 * <p><b>install</b> (an upsert per reservation id):
 * <ol>
 *   <li>resolve: one GET (or as few as the PDU limits allow, for the whole batch) of the id column
 *       and every table's RowStatus at each candidate index of each reservation; the row whose id
 *       column holds the reservation id is its row, otherwise the first index where no table has a
 *       row is free;</li>
 *   <li>compare: one GET of the columns of the rows found; a row whose every compared column and
 *       RowStatus are as wanted gives {@code ALREADY_PRESENT};</li>
 *   <li>write: each reservation's varbinds (every column plus RowStatus createAndGo(4) or
 *       createAndWait(5) for a new row, only the differing columns for an existing one) go in one
 *       SET, so each reservation is applied atomically; reservations share SETs as far as
 *       {@code max-varbinds} and {@code max-pdu-bytes} allow;</li>
 *   <li>tables with {@code create: createAndWait} then get RowStatus active(1) in a second SET.</li>
 * </ol>
 * A SET refused with an error-index is blamed on the reservation owning that varbind, which gets
 * {@code REJECTED} (wrongType, wrongValue, inconsistentValue, resourceUnavailable, noAccess,
 * notWritable...) with the error-status and column in the detail; the other reservations of that
 * SET are sent again without it. tooBig splits the SET. A createAndGo refused with
 * inconsistentValue is resolved once more (another manager, or a concurrent call, created the row
 * meanwhile).
 *
 * <p><b>remove</b> resolves the rows the same way and destroys (RowStatus destroy(6)) every table's
 * row of a reservation in one SET; an id with no row gives {@code NOT_FOUND}.
 *
 * <p><b>list</b> walks (GETBULK) the id column and the columns the reservation's fields can be read
 * back from. Rows without a reservation id are not ours and are left out.
 *
 * <p><b>Errors.</b> No answer gives {@code TIMEOUT}; an SNMPv3 report (unknown user, wrong digest,
 * decryption error) gives {@code UNREACHABLE}; a value the model cannot write (an IPv6 subscriber
 * in an IpAddress column, a rate above Unsigned32) gives {@code REJECTED} without a request.
 *
 * <p><b>Threading.</b> Thread-safe; calls share the session's socket. Every call returns by its
 * timeout. {@link #close()} closes the socket and stops snmp4j's threads.
 */
public final class SnmpDevice implements DeviceAdapter {

    private static final Logger log = LoggerFactory.getLogger(SnmpDevice.class);
    private static final OID SYS_UP_TIME = new OID("1.3.6.1.2.1.1.3.0");
    private static final int MAX_LISTED_ROWS = 1_000_000;
    /** The sources a listed reservation's fields are read back from. */
    private static final Set<Source> READ_BACK = EnumSet.of(Source.SESSION_ID, Source.POOL_ID, Source.ADDRESS,
            Source.ADDRESS_OCTETS, Source.RATE_BPS, Source.RATE_KBPS, Source.BURST_BYTES, Source.DSCP, Source.LATENCY_MS,
            Source.LATENCY_US, Source.DIRECTION);

    private final String deviceId;
    private final SnmpSettings settings;
    private final DeviceModel model;
    private final SnmpSession session;

    SnmpDevice(String deviceId, SnmpSettings settings) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.settings = settings;
        this.model = settings.model();
        this.session = new SnmpSession(deviceId, settings);
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    /** The device model rows are written by. */
    public String modelName() {
        return model.name();
    }

    // ---------------------------------------------------------------- install

    @Override
    public List<Outcome> install(List<DeviceReservation> batch, Duration timeout) {
        long deadline = deadline(timeout);
        Outcome[] out = new Outcome[batch.size()];
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            remaining.add(i);
        }
        install(batch, remaining, out, deadline, 0);
        return finished(out, batch.stream().map(DeviceReservation::id).toList());
    }

    private void install(List<DeviceReservation> batch, List<Integer> remaining, Outcome[] out, long deadline, int attempt) {
        List<String> ids = batch.stream().map(DeviceReservation::id).toList();
        Map<Integer, Map<Table, List<Variable>>> wanted = new HashMap<>();
        List<Integer> encodable = new ArrayList<>();
        for (int i : remaining) {
            try {
                wanted.put(i, values(batch.get(i)));
                encodable.add(i);
            } catch (Unencodable e) {
                out[i] = new Outcome(ids.get(i), OutcomeStatus.REJECTED, e.getMessage());
            }
        }
        Map<Integer, Slot> slots = resolve(ids, encodable, out, deadline);

        List<VariableBinding> reads = new ArrayList<>();
        for (Slot slot : slots.values()) {
            if (slot.found()) {
                for (Table t : slot.present().keySet()) {
                    for (Column c : t.columns()) {
                        reads.add(new VariableBinding(t.oid(c.number(), slot.index())));
                    }
                }
            }
        }
        Map<OID, Variable> current = new HashMap<>();
        if (!reads.isEmpty()) {
            Fetched f = get(reads, deadline);
            if (f.failure() != null) {
                slots.forEach((i, slot) -> {
                    if (slot.found()) {
                        out[i] = new Outcome(ids.get(i), f.failure().status(), f.failure().detail());
                    }
                });
            } else {
                current = f.values();
            }
        }

        List<RowWrite> writes = new ArrayList<>();
        List<RowWrite> activations = new ArrayList<>();
        for (Map.Entry<Integer, Slot> e : slots.entrySet()) {
            int i = e.getKey();
            if (out[i] != null) {
                continue;
            }
            OID index = e.getValue().index();
            Map<Table, Integer> present = e.getValue().present();
            List<VariableBinding> set = new ArrayList<>();
            List<VariableBinding> activate = new ArrayList<>();
            for (Table t : model.tables()) {
                List<Variable> values = wanted.get(i).get(t);
                Integer status = present.get(t);
                if (status == null) {
                    set.add(new VariableBinding(t.rowStatusOid(index),
                            new Integer32(t.createAndWait() ? DeviceModel.CREATE_AND_WAIT : DeviceModel.CREATE_AND_GO)));
                    for (int c = 0; c < values.size(); c++) {
                        set.add(new VariableBinding(t.oid(t.columns().get(c).number(), index), values.get(c)));
                    }
                    if (t.createAndWait()) {
                        activate.add(new VariableBinding(t.rowStatusOid(index), new Integer32(DeviceModel.ACTIVE)));
                    }
                    continue;
                }
                for (int c = 0; c < values.size(); c++) {
                    Column column = t.columns().get(c);
                    OID oid = t.oid(column.number(), index);
                    if (column.compare() && !Column.same(current.get(oid), values.get(c))) {
                        set.add(new VariableBinding(oid, values.get(c)));
                    }
                }
                if (status != DeviceModel.ACTIVE) {
                    activate.add(new VariableBinding(t.rowStatusOid(index), new Integer32(DeviceModel.ACTIVE)));
                }
            }
            if (set.isEmpty() && activate.isEmpty()) {
                out[i] = Outcome.of(ids.get(i), OutcomeStatus.ALREADY_PRESENT);
                continue;
            }
            if (!set.isEmpty()) {
                writes.add(new RowWrite(i, set));
            }
            if (!activate.isEmpty()) {
                activations.add(new RowWrite(i, activate));
            }
        }

        List<Integer> raced = new ArrayList<>();
        Map<Integer, Outcome> failed = set(writes, ids, deadline, attempt == 0 ? raced : null);
        failed.forEach((i, o) -> out[i] = o);
        activations.removeIf(w -> failed.containsKey(w.position()) || raced.contains(w.position()));
        Map<Integer, Outcome> notActivated = set(activations, ids, deadline, null);
        notActivated.forEach((i, o) -> out[i] = new Outcome(o.reservationId(), o.status(), "row written but not activated: " + o.detail()));
        for (RowWrite w : writes) {
            if (out[w.position()] == null && !raced.contains(w.position())) {
                out[w.position()] = Outcome.of(ids.get(w.position()), OutcomeStatus.APPLIED);
            }
        }
        for (RowWrite w : activations) {
            if (out[w.position()] == null) {
                out[w.position()] = Outcome.of(ids.get(w.position()), OutcomeStatus.APPLIED);
            }
        }
        if (!raced.isEmpty()) {
            install(batch, raced, out, deadline, attempt + 1);
        }
    }

    /** The values (without RowStatus) a reservation's rows must hold, per table, in column order. */
    private Map<Table, List<Variable>> values(DeviceReservation r) throws Unencodable {
        Map<Table, List<Variable>> out = new LinkedHashMap<>();
        for (Table t : model.tables()) {
            List<Variable> vs = new ArrayList<>();
            for (Column c : t.columns()) {
                vs.add(c.encode(r));
            }
            out.put(t, vs);
        }
        return out;
    }

    // ---------------------------------------------------------------- remove

    @Override
    public List<Outcome> remove(List<String> reservationIds, Duration timeout) {
        long deadline = deadline(timeout);
        Outcome[] out = new Outcome[reservationIds.size()];
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < reservationIds.size(); i++) {
            remaining.add(i);
        }
        Map<Integer, Slot> slots = resolve(reservationIds, remaining, out, deadline);
        List<RowWrite> destroys = new ArrayList<>();
        for (Map.Entry<Integer, Slot> e : slots.entrySet()) {
            Slot slot = e.getValue();
            if (!slot.found()) {
                out[e.getKey()] = Outcome.of(reservationIds.get(e.getKey()), OutcomeStatus.NOT_FOUND);
                continue;
            }
            List<VariableBinding> vbs = new ArrayList<>();
            for (Table t : slot.present().keySet()) {
                vbs.add(new VariableBinding(t.rowStatusOid(slot.index()), new Integer32(DeviceModel.DESTROY)));
            }
            destroys.add(new RowWrite(e.getKey(), vbs));
        }
        Map<Integer, Outcome> failed = set(destroys, reservationIds, deadline, null);
        failed.forEach((i, o) -> out[i] = o);
        for (RowWrite w : destroys) {
            if (out[w.position()] == null) {
                out[w.position()] = Outcome.of(reservationIds.get(w.position()), OutcomeStatus.REMOVED);
            }
        }
        return finished(out, reservationIds);
    }

    // ---------------------------------------------------------------- resolve

    /**
     * Where a reservation's rows are.
     *
     * @param index the row index
     * @param found whether the id column at that index holds the reservation id
     * @param present the tables that have a row there, with its RowStatus
     */
    private record Slot(OID index, boolean found, Map<Table, Integer> present) {
    }

    /** The slot of each reservation in {@code remaining}; reservations that cannot be resolved get their outcome in {@code out}. */
    private Map<Integer, Slot> resolve(List<String> ids, List<Integer> remaining, Outcome[] out, long deadline) {
        Map<Integer, Slot> slots = new LinkedHashMap<>();
        if (remaining.isEmpty()) {
            return slots;
        }
        Table idTable = model.idTable();
        Column idColumn = model.idColumn();
        int probe = model.index().probe();
        List<VariableBinding> vbs = new ArrayList<>();
        for (int i : remaining) {
            for (int a = 0; a < probe; a++) {
                OID index = model.index().slot(ids.get(i), a);
                vbs.add(new VariableBinding(idTable.oid(idColumn.number(), index)));
                for (Table t : model.tables()) {
                    vbs.add(new VariableBinding(t.rowStatusOid(index)));
                }
            }
        }
        Fetched f = get(vbs, deadline);
        if (f.failure() != null) {
            for (int i : remaining) {
                out[i] = new Outcome(ids.get(i), f.failure().status(), f.failure().detail());
            }
            return slots;
        }
        for (int i : remaining) {
            Slot free = null;
            Slot mine = null;
            List<String> taken = new ArrayList<>();
            for (int a = 0; a < probe && mine == null; a++) {
                OID index = model.index().slot(ids.get(i), a);
                Variable idValue = f.values().get(idTable.oid(idColumn.number(), index));
                Map<Table, Integer> present = new LinkedHashMap<>();
                for (Table t : model.tables()) {
                    Long status = Column.number(f.values().get(t.rowStatusOid(index)));
                    if (status != null) {
                        present.put(t, status.intValue());
                    }
                }
                String holder = Column.text(idValue);
                if (ids.get(i).equals(holder)) {
                    mine = new Slot(index, true, present);
                } else if (present.isEmpty() && (idValue == null || idValue.isException())) {
                    free = free == null ? new Slot(index, false, present) : free;
                } else {
                    taken.add(index + (holder == null ? "" : " (" + holder + ")"));
                }
            }
            if (mine != null) {
                slots.put(i, mine);
            } else if (free != null) {
                slots.put(i, free);
            } else {
                out[i] = new Outcome(ids.get(i), OutcomeStatus.REJECTED,
                        "no free row index: all " + probe + " candidate indexes hold other rows " + taken);
            }
        }
        return slots;
    }

    // ---------------------------------------------------------------- GET and SET with limits

    /** Values by OID, or why they could not be read. */
    private record Fetched(Map<OID, Variable> values, Outcome failure) {
    }

    private Fetched get(List<VariableBinding> vbs, long deadline) {
        Map<OID, Variable> values = new HashMap<>();
        Deque<List<VariableBinding>> chunks = new ArrayDeque<>(chunk(vbs.stream().map(List::of).toList()).stream()
                .map(c -> c.stream().flatMap(List::stream).toList()).toList());
        while (!chunks.isEmpty()) {
            List<VariableBinding> chunk = chunks.poll();
            Reply r = session.send(session.pdu(PDU.GET, chunk), deadline);
            if (!r.answered()) {
                return new Fetched(null, new Outcome(deviceId, r.status(), r.detail()));
            }
            int es = r.pdu().getErrorStatus();
            if (es == PDU.tooBig && chunk.size() > 1) {
                chunks.push(chunk.subList(chunk.size() / 2, chunk.size()));
                chunks.push(chunk.subList(0, chunk.size() / 2));
                continue;
            }
            if (es != PDU.noError) {
                return new Fetched(null, new Outcome(deviceId, SnmpSession.outcomeOf(es), "GET refused: " + SnmpSession.errorName(es)));
            }
            List<? extends VariableBinding> answer = r.pdu().getVariableBindings();
            if (answer.size() != chunk.size()) {
                log.warn("device {}: a GET of {} varbinds was answered with {}", deviceId, chunk.size(), answer.size());
                return new Fetched(null, new Outcome(deviceId, OutcomeStatus.FAILED,
                        "malformed response: " + answer.size() + " varbinds for " + chunk.size()));
            }
            for (int k = 0; k < chunk.size(); k++) {
                values.put(chunk.get(k).getOid(), answer.get(k).getVariable());
            }
        }
        return new Fetched(values, null);
    }

    /** The varbinds of one reservation that must go in one SET. */
    private record RowWrite(int position, List<VariableBinding> varbinds) {
    }

    /**
     * Sends the writes in as few SETs as the limits allow; the failures by position. A createAnd*
     * refused with inconsistentValue is put into {@code raced} (when given) instead of failing.
     */
    private Map<Integer, Outcome> set(List<RowWrite> writes, List<String> ids, long deadline, List<Integer> raced) {
        Map<Integer, Outcome> failed = new HashMap<>();
        List<RowWrite> fitting = new ArrayList<>();
        for (RowWrite w : writes) {
            int bytes = bytes(w.varbinds());
            if (w.varbinds().size() > settings.maxVarbinds() || bytes > settings.maxPduBytes()) {
                failed.put(w.position(), new Outcome(ids.get(w.position()), OutcomeStatus.REJECTED,
                        "the row needs " + w.varbinds().size() + " varbinds (" + bytes + " bytes), more than max-varbinds "
                                + settings.maxVarbinds() + " / max-pdu-bytes " + settings.maxPduBytes()));
            } else {
                fitting.add(w);
            }
        }
        Deque<List<RowWrite>> chunks = new ArrayDeque<>(chunk(fitting, RowWrite::varbinds));
        while (!chunks.isEmpty()) {
            List<RowWrite> chunk = chunks.poll();
            List<VariableBinding> vbs = chunk.stream().flatMap(w -> w.varbinds().stream()).toList();
            Reply r = session.send(session.pdu(PDU.SET, vbs), deadline);
            if (!r.answered()) {
                for (List<RowWrite> c : prepend(chunk, chunks)) {
                    for (RowWrite w : c) {
                        failed.put(w.position(), new Outcome(ids.get(w.position()), r.status(), r.detail()));
                    }
                }
                return failed;
            }
            int es = r.pdu().getErrorStatus();
            if (es == PDU.noError) {
                continue;
            }
            if (es == PDU.tooBig && chunk.size() > 1) {
                chunks.push(chunk.subList(chunk.size() / 2, chunk.size()));
                chunks.push(chunk.subList(0, chunk.size() / 2));
                continue;
            }
            int ei = r.pdu().getErrorIndex();
            RowWrite blamed = null;
            VariableBinding culprit = null;
            int k = 0;
            for (RowWrite w : chunk) {
                for (VariableBinding vb : w.varbinds()) {
                    if (++k == ei) {
                        blamed = w;
                        culprit = vb;
                    }
                }
            }
            if (blamed == null) {
                for (RowWrite w : chunk) {
                    failed.put(w.position(), new Outcome(ids.get(w.position()), SnmpSession.outcomeOf(es),
                            "SET refused: " + SnmpSession.errorName(es) + " (error-index " + ei + ")"));
                }
                continue;
            }
            boolean creation = culprit.getVariable() instanceof Integer32 v && isRowStatus(culprit.getOid())
                    && (v.getValue() == DeviceModel.CREATE_AND_GO || v.getValue() == DeviceModel.CREATE_AND_WAIT);
            if (raced != null && es == PDU.inconsistentValue && creation) {
                raced.add(blamed.position());
            } else {
                failed.put(blamed.position(), new Outcome(ids.get(blamed.position()), SnmpSession.outcomeOf(es),
                        SnmpSession.errorName(es) + " on " + describe(culprit)));
            }
            List<RowWrite> rest = new ArrayList<>(chunk);
            rest.remove(blamed);
            if (!rest.isEmpty()) {
                chunks.push(rest);
            }
        }
        return failed;
    }

    private static List<List<RowWrite>> prepend(List<RowWrite> first, Deque<List<RowWrite>> rest) {
        List<List<RowWrite>> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** Packs items, each kept whole, into requests within max-varbinds and max-pdu-bytes. */
    private <T> List<List<T>> chunk(List<T> items, java.util.function.Function<T, List<VariableBinding>> vbs) {
        List<List<T>> chunks = new ArrayList<>();
        List<T> current = new ArrayList<>();
        int count = 0;
        int bytes = overhead();
        for (T item : items) {
            List<VariableBinding> v = vbs.apply(item);
            int b = bytes(v) - overhead();
            if (!current.isEmpty() && (count + v.size() > settings.maxVarbinds() || bytes + b > settings.maxPduBytes())) {
                chunks.add(current);
                current = new ArrayList<>();
                count = 0;
                bytes = overhead();
            }
            current.add(item);
            count += v.size();
            bytes += b;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private List<List<List<VariableBinding>>> chunk(List<List<VariableBinding>> items) {
        return chunk(items, x -> x);
    }

    /** An estimate of the encoded request: message and PDU headers plus the varbinds. */
    private int bytes(List<VariableBinding> vbs) {
        int b = overhead();
        for (VariableBinding vb : vbs) {
            b += vb.getBERLength();
        }
        return b;
    }

    private int overhead() {
        return settings.version() == SnmpSettings.Version.V3
                ? 120 + settings.user().length() + settings.contextName().length()
                : 32 + settings.community().length();
    }

    private boolean isRowStatus(OID oid) {
        for (Table t : model.tables()) {
            if (oid.startsWith(t.entry()) && oid.size() > t.entry().size() && oid.get(t.entry().size()) == t.rowStatus()) {
                return true;
            }
        }
        return false;
    }

    private String describe(VariableBinding vb) {
        OID oid = vb.getOid();
        for (Table t : model.tables()) {
            if (oid.startsWith(t.entry()) && oid.size() > t.entry().size()) {
                int col = oid.get(t.entry().size());
                String name = col == t.rowStatus() ? t.name() + " RowStatus"
                        : t.columns().stream().filter(c -> c.number() == col).map(Column::name).findFirst().orElse("column " + col);
                return name + " = " + vb.getVariable() + " (" + oid + ")";
            }
        }
        return oid.toString();
    }

    // ---------------------------------------------------------------- list

    @Override
    public DeviceListing list(Duration timeout) {
        long deadline = deadline(timeout);
        Table idTable = model.idTable();
        Column idColumn = model.idColumn();
        Walked ids = walk(idTable.oid(idColumn.number(), new OID()), deadline);
        if (ids.failure() != null) {
            return DeviceListing.failed(ids.failure().status(), ids.failure().detail());
        }
        Map<Source, Map<OID, Variable>> back = new HashMap<>();
        boolean bps = model.tables().stream().flatMap(t -> t.columns().stream()).anyMatch(c -> c.source() == Source.RATE_BPS);
        for (Table t : model.tables()) {
            for (Column c : t.columns()) {
                if (READ_BACK.contains(c.source()) && !back.containsKey(c.source()) && !(bps && c.source() == Source.RATE_KBPS)) {
                    Walked w = walk(t.oid(c.number(), new OID()), deadline);
                    if (w.failure() != null) {
                        return DeviceListing.failed(w.failure().status(), w.failure().detail());
                    }
                    back.put(c.source(), w.values());
                }
            }
        }
        List<DeviceReservation> found = new ArrayList<>();
        for (Map.Entry<OID, Variable> e : ids.values().entrySet()) {
            String id = Column.text(e.getValue());
            if (id == null || id.isEmpty()) {
                continue;
            }
            found.add(readBack(id, e.getKey(), back));
        }
        return DeviceListing.of(found);
    }

    private DeviceReservation readBack(String id, OID index, Map<Source, Map<OID, Variable>> back) {
        Long rate = value(back, Source.RATE_BPS, index);
        if (rate == null) {
            Long kbps = value(back, Source.RATE_KBPS, index);
            rate = kbps == null ? 0 : kbps * 1000;
        }
        Long burst = value(back, Source.BURST_BYTES, index);
        Long dscp = value(back, Source.DSCP, index);
        Integer latency = null;
        Long ms = value(back, Source.LATENCY_MS, index);
        Long us = value(back, Source.LATENCY_US, index);
        Column latencyColumn = column(ms != null ? Source.LATENCY_MS : Source.LATENCY_US);
        if (ms != null && !Objects.equals(ms, latencyColumn.ifAbsent())) {
            latency = (int) Math.min(Integer.MAX_VALUE, ms);
        } else if (ms == null && us != null && !Objects.equals(us, latencyColumn.ifAbsent())) {
            latency = (int) Math.min(Integer.MAX_VALUE, us / 1000);
        }
        Direction direction = Direction.UPLINK;
        Long dir = value(back, Source.DIRECTION, index);
        if (dir != null) {
            for (Map.Entry<Direction, Long> m : column(Source.DIRECTION).map().entrySet()) {
                if (m.getValue().equals(dir)) {
                    direction = m.getKey();
                }
            }
        }
        String address = text(back, Source.ADDRESS, index);
        if (address == null && back.containsKey(Source.ADDRESS_OCTETS)) {
            Variable v = back.get(Source.ADDRESS_OCTETS).get(index);
            address = v instanceof OctetString s ? DeviceModel.addressText(s.getValue())
                    : v != null && !v.isException() ? v.toString() : null;
        }
        long r = Math.max(0, rate);
        long b = burst == null ? 0 : Math.max(0, burst);
        int d = dscp == null || dscp < 0 || dscp > 63 ? 0 : dscp.intValue();
        if (rate < 0 || (burst != null && burst < 0) || (dscp != null && (dscp < -1 || dscp > 63))) {
            log.warn("device {}: row {} of reservation {} holds values out of range (rate {}, burst {}, dscp {})",
                    deviceId, index, id, rate, burst, dscp);
        }
        return new DeviceReservation(id, text(back, Source.SESSION_ID, index), text(back, Source.POOL_ID, index),
                direction, address, r, b, d, latency);
    }

    private Column column(Source source) {
        return model.tables().stream().flatMap(t -> t.columns().stream()).filter(c -> c.source() == source)
                .findFirst().orElse(null);
    }

    private static Long value(Map<Source, Map<OID, Variable>> back, Source s, OID index) {
        Map<OID, Variable> m = back.get(s);
        return m == null ? null : Column.number(m.get(index));
    }

    private static String text(Map<Source, Map<OID, Variable>> back, Source s, OID index) {
        Map<OID, Variable> m = back.get(s);
        return m == null ? null : Column.text(m.get(index));
    }

    /** A column's values by row index, or why it could not be walked. */
    private record Walked(Map<OID, Variable> values, Outcome failure) {
    }

    /** Walks one column with GETBULK (RFC 3416 section 4.2.3) until it leaves the column. */
    private Walked walk(OID column, long deadline) {
        Map<OID, Variable> values = new LinkedHashMap<>();
        OID cursor = column;
        int repetitions = Math.min(settings.maxVarbinds(), 50);
        while (true) {
            PDU pdu = session.pdu(PDU.GETBULK, List.of(new VariableBinding(cursor)));
            pdu.setNonRepeaters(0);
            pdu.setMaxRepetitions(repetitions);
            Reply r = session.send(pdu, deadline);
            if (!r.answered()) {
                return new Walked(null, new Outcome(deviceId, r.status(), r.detail()));
            }
            int es = r.pdu().getErrorStatus();
            if (es == PDU.tooBig && repetitions > 1) {
                repetitions = Math.max(1, repetitions / 2);
                continue;
            }
            if (es != PDU.noError) {
                return new Walked(null, new Outcome(deviceId, SnmpSession.outcomeOf(es), "GETBULK refused: " + SnmpSession.errorName(es)));
            }
            List<? extends VariableBinding> vbs = r.pdu().getVariableBindings();
            if (vbs.isEmpty()) {
                return new Walked(values, null);
            }
            for (VariableBinding vb : vbs) {
                OID oid = vb.getOid();
                if (vb.getVariable().isException() || !oid.startsWith(column) || oid.size() <= column.size()) {
                    return new Walked(values, null);
                }
                if (oid.compareTo(cursor) <= 0) {
                    log.warn("device {}: GETBULK after {} returned {} (not increasing)", deviceId, cursor, oid);
                    return new Walked(null, new Outcome(deviceId, OutcomeStatus.FAILED, "the agent returned OIDs out of order at " + oid));
                }
                values.put(new OID(oid.getValue(), column.size(), oid.size() - column.size()), vb.getVariable());
                cursor = oid;
                if (values.size() > MAX_LISTED_ROWS) {
                    return new Walked(null, new Outcome(deviceId, OutcomeStatus.FAILED, "more than " + MAX_LISTED_ROWS + " rows"));
                }
            }
        }
    }

    // ---------------------------------------------------------------- health

    @Override
    public DeviceHealth health(Duration timeout) {
        Reply r = session.send(session.pdu(PDU.GET, List.of(new VariableBinding(SYS_UP_TIME, Null.instance))), deadline(timeout));
        if (!r.answered()) {
            return new DeviceHealth(DeviceHealth.Status.DOWN, r.status() + ": " + r.detail(), Instant.now());
        }
        if (r.pdu().getErrorStatus() != PDU.noError) {
            return new DeviceHealth(DeviceHealth.Status.DEGRADED, "GET sysUpTime.0 refused: "
                    + SnmpSession.errorName(r.pdu().getErrorStatus()), Instant.now());
        }
        Variable v = r.pdu().size() == 1 ? r.pdu().get(0).getVariable() : null;
        return new DeviceHealth(DeviceHealth.Status.UP, "sysUpTime " + v + ", model " + model.name(), Instant.now());
    }

    @Override
    public void close() {
        session.close();
    }

    // ---------------------------------------------------------------- helpers

    private static long deadline(Duration timeout) {
        return System.nanoTime() + Math.max(0, timeout.toNanos());
    }

    private List<Outcome> finished(Outcome[] out, List<String> ids) {
        List<Outcome> list = new ArrayList<>(out.length);
        for (int i = 0; i < out.length; i++) {
            list.add(out[i] != null ? out[i] : new Outcome(ids.get(i), OutcomeStatus.FAILED, "no outcome (internal error)"));
        }
        return list;
    }

    @Override
    public String toString() {
        return "SnmpDevice[" + deviceId + ", " + settings + "]";
    }
}
