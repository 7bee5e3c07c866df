package org.arbiter.adapter.pcmm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.arbiter.adapter.pcmm.cops.CopsException;
import org.arbiter.adapter.pcmm.mm.GateCommand;
import org.arbiter.adapter.pcmm.mm.GateStateValue;
import org.arbiter.adapter.pcmm.mm.PcmmCommand;
import org.arbiter.adapter.pcmm.mm.PcmmErrorCode;
import org.arbiter.adapter.pcmm.mm.PcmmObject;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceListing;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CMTS enforcing reservations as PacketCable Multimedia gates over COPS: one gate per
 * reservation ({@link GateMapping}), set, modified and deleted through a {@link CmtsSession}.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>{@link #install} is an upsert: a reservation identical to the one behind its gate gives
 *       ALREADY_PRESENT without a message; a changed one is a Gate-Set with the gate's GateID
 *       (a modification) giving APPLIED, or Gate-Delete then Gate-Set when the direction or the
 *       subscriber changed (a gate cannot change those); a new one is a Gate-Set giving APPLIED.
 *       A batch is pipelined: every Gate-Set goes out before the first answer is awaited.</li>
 *   <li>{@link #remove} sends Gate-Delete with the GateID: REMOVED; an id without a gate, or a
 *       gate the CMTS no longer knows (Gate-Delete-Err 2), gives NOT_FOUND.</li>
 *   <li>Gate-Set-Err and Gate-Delete-Err become REJECTED with the PacketCable Error in the detail
 *       ("Gate-Set-Err 11 Undefined Service Class Name (subcode 0x0)"); no session or a lost
 *       connection gives UNREACHABLE; no answer within the call's timeout gives TIMEOUT.</li>
 *   <li>{@link #list} runs a PacketCable Synch (complete gate data) and returns the gates whose
 *       AMID is ours and whose Opaque Data holds a reservation (Gate-Info fills in gates reported
 *       without it). It also rebuilds the reservation-id to GateID mirror.</li>
 *   <li>An unsolicited Gate-Report-State closing a gate (preemption, a T-timer) removes the gate
 *       from the mirror and is logged at WARN; the next {@link #list} no longer shows it, so the
 *       engine's reconcile sees the loss.</li>
 * </ul>
 *
 * <p><b>Threading.</b> Thread-safe. The mirror lives on the session's event loop: every call
 * builds its messages there and waits for the answers on the caller's thread, so calls never
 * block each other. Two calls for one reservation id run one after the other.
 */
public final class PcmmDevice implements DeviceAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(PcmmDevice.class);

    private final PcmmConfig cfg;
    private final CmtsSession session;

    /** One gate on the CMTS, as the mirror knows it; {@code epoch} orders mirror writes against synchronizations. */
    private record Gate(long gateId, DeviceReservation reservation, long epoch) {
    }

    // event loop only
    private final Map<String, Gate> byReservation = new HashMap<>();
    private final Map<Long, String> byGateId = new HashMap<>();
    private final Map<String, CompletableFuture<?>> busy = new HashMap<>();
    private long epoch;
    private CompletableFuture<List<DeviceReservation>> synchronizing;

    PcmmDevice(PcmmConfig cfg) {
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        this.session = new CmtsSession(cfg);
        session.handlers(this::initialSynchronization, this::reported);
    }

    @Override
    public String deviceId() {
        return cfg.deviceId();
    }

    @Override
    public List<Outcome> install(List<DeviceReservation> batch, Duration timeout) {
        long deadline = deadline(timeout);
        List<DeviceReservation> items = List.copyOf(batch);
        if (items.isEmpty()) {
            return List.of();
        }
        Optional<Outcome> down = awaitReady(deadline);
        if (down.isPresent()) {
            return items.stream().map(r -> new Outcome(r.id(), down.get().status(), down.get().detail())).toList();
        }
        Duration lifetime = lifetime(timeout);
        CompletableFuture<List<CompletableFuture<Outcome>>> sent = session.call(() ->
                CompletableFuture.completedFuture(items.stream().map(r -> installOne(r, lifetime)).toList()));
        return collect(items.stream().map(DeviceReservation::id).toList(), sent, deadline);
    }

    @Override
    public List<Outcome> remove(List<String> reservationIds, Duration timeout) {
        long deadline = deadline(timeout);
        List<String> ids = List.copyOf(reservationIds);
        if (ids.isEmpty()) {
            return List.of();
        }
        Optional<Outcome> down = awaitReady(deadline);
        if (down.isPresent()) {
            return ids.stream().map(id -> new Outcome(id, down.get().status(), down.get().detail())).toList();
        }
        Duration lifetime = lifetime(timeout);
        CompletableFuture<List<CompletableFuture<Outcome>>> sent = session.call(() ->
                CompletableFuture.completedFuture(ids.stream().map(id -> removeOne(id, lifetime)).toList()));
        return collect(ids, sent, deadline);
    }

    @Override
    public DeviceListing list(Duration timeout) {
        long deadline = deadline(timeout);
        Optional<Outcome> down = awaitReady(deadline);
        if (down.isPresent()) {
            return DeviceListing.failed(down.get().status(), down.get().detail());
        }
        Duration lifetime = lifetime(timeout);
        Result<List<DeviceReservation>> r = await(session.call(() -> synchronize(lifetime)), deadline, "Synch-Request");
        return r.value != null ? DeviceListing.of(r.value) : DeviceListing.failed(r.status, r.detail);
    }

    @Override
    public DeviceHealth health(Duration timeout) {
        long deadline = deadline(timeout);
        Optional<Outcome> down = awaitReady(deadline);
        CmtsSession.Snapshot s = session.snapshot();
        if (down.isPresent()) {
            return new DeviceHealth(DeviceHealth.Status.DOWN, down.get().detail(), Instant.now());
        }
        Result<Integer> gates = await(session.call(() -> CompletableFuture.completedFuture(byReservation.size())), deadline, "health");
        String version = s.version() == null ? "version not announced" : "PCMM " + s.version().major() + "." + s.version().minor();
        return new DeviceHealth(DeviceHealth.Status.UP, "PCMM session with CMTS " + s.pepId() + " (" + version + ") up, "
                + (gates.value == null ? "?" : gates.value) + " gates of ours", Instant.now());
    }

    @Override
    public void close() {
        session.close();
    }

    /** The session state, for tests and the admin view. */
    CmtsSession.State sessionState() {
        return session.snapshot().state();
    }

    // ---------------------------------------------------------------- caller side

    private static long deadline(Duration timeout) {
        return System.nanoTime() + Math.max(0, timeout.toNanos());
    }

    /** How long a request may stay outstanding: the caller's timeout, at least timeout-ms, so a late answer still updates the mirror. */
    private Duration lifetime(Duration timeout) {
        return timeout.compareTo(cfg.timeout()) > 0 ? timeout : cfg.timeout();
    }

    private Optional<Outcome> awaitReady(long deadline) {
        Result<Void> ready = await(session.whenReady(), deadline, "PCMM session");
        return ready.status == null ? Optional.empty() : Optional.of(new Outcome("-", ready.status, ready.detail));
    }

    private List<Outcome> collect(List<String> ids, CompletableFuture<List<CompletableFuture<Outcome>>> sent, long deadline) {
        Result<List<CompletableFuture<Outcome>>> futures = await(sent, deadline, "dispatch");
        List<Outcome> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            if (futures.value == null) {
                out.add(new Outcome(ids.get(i), futures.status, futures.detail));
                continue;
            }
            Result<Outcome> o = await(futures.value.get(i), deadline, "answer from the CMTS");
            out.add(o.value != null ? o.value : new Outcome(ids.get(i), o.status, o.detail));
        }
        return out;
    }

    /** A value, or why there is none. */
    private record Result<T>(T value, OutcomeStatus status, String detail) {
    }

    private <T> Result<T> await(CompletableFuture<T> f, long deadline, String what) {
        long left = deadline - System.nanoTime();
        try {
            return new Result<>(f.get(Math.max(0, left), TimeUnit.NANOSECONDS), null, null);
        } catch (TimeoutException e) {
            return new Result<>(null, OutcomeStatus.TIMEOUT, "no " + what + " from CMTS " + cfg.host() + ":" + cfg.port()
                    + " within the timeout (state " + session.snapshot().state() + ")");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SessionFailure s) {
                return new Result<>(null, s.status(), s.getMessage());
            }
            if (cause instanceof RejectedExecutionException) {
                return new Result<>(null, OutcomeStatus.UNREACHABLE, "the adapter is closed");
            }
            LOG.error("unexpected failure waiting for {} from CMTS {}", what, cfg.deviceId(), cause);
            return new Result<>(null, OutcomeStatus.FAILED, String.valueOf(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result<>(null, OutcomeStatus.FAILED, "interrupted while waiting for " + what);
        }
    }

    // ---------------------------------------------------------------- gate logic (event loop)

    /** Runs {@code op} for {@code id} after whatever is in flight for it, and marks it busy meanwhile. */
    private CompletableFuture<Outcome> serialized(String id, Function<String, CompletableFuture<Outcome>> op) {
        CompletableFuture<?> before = busy.get(id);
        if (before != null) {
            return before.handle((v, e) -> null).thenComposeAsync(v -> serialized(id, op), session.loop());
        }
        CompletableFuture<Outcome> f = op.apply(id);
        if (!f.isDone()) {
            busy.put(id, f);
            f.whenComplete((v, e) -> busy.remove(id, f));
        }
        return f;
    }

    private CompletableFuture<Outcome> installOne(DeviceReservation r, Duration lifetime) {
        return serialized(r.id(), id -> {
            Gate g = byReservation.get(id);
            if (g != null && g.reservation.equals(r)) {
                return CompletableFuture.completedFuture(Outcome.of(id, OutcomeStatus.ALREADY_PRESENT));
            }
            boolean modify = g != null && g.reservation.direction() == r.direction()
                    && Objects.equals(g.reservation.subscriberAddress(), r.subscriberAddress());
            List<PcmmObject> body;
            try {
                body = GateMapping.gateSet(r, modify ? g.gateId : -1, cfg);
            } catch (CopsException e) {
                return CompletableFuture.completedFuture(new Outcome(id, OutcomeStatus.REJECTED, e.getMessage()));
            }
            if (g == null || modify) {
                return gateSet(r, body, modify ? g.gateId : -1, lifetime);
            }
            return gateDelete(g, lifetime).thenCompose(o -> o.status().ok() ? gateSet(r, body, -1, lifetime)
                    : CompletableFuture.completedFuture(new Outcome(id, o.status(), "replacing the gate: " + o.detail())));
        });
    }

    private CompletableFuture<Outcome> gateSet(DeviceReservation r, List<PcmmObject> body, long gateId, Duration lifetime) {
        return session.transact(GateCommand.GATE_SET, body, lifetime).handle((answers, e) -> {
            if (e != null) {
                return failed(r.id(), e);
            }
            PcmmCommand a = answers.get(answers.size() - 1);
            switch (a.command()) {
                case GATE_SET_ACK -> {
                    long id = a.first(PcmmObject.GateId.class).orElseThrow().id();
                    if (gateId >= 0 && id != gateId) {
                        LOG.warn("CMTS {} answered the modification of gate 0x{} with gate 0x{}", cfg.deviceId(), Long.toHexString(gateId),
                                Long.toHexString(id));
                        forget(r.id());
                    }
                    remember(r, id);
                    return Outcome.of(r.id(), OutcomeStatus.APPLIED);
                }
                case GATE_SET_ERR -> {
                    PcmmObject.PacketCableError err = a.first(PcmmObject.PacketCableError.class).orElseThrow();
                    if (err.code() == PcmmErrorCode.UNKNOWN_GATE_ID.code() && gateId >= 0) {
                        forget(r.id());
                    }
                    return new Outcome(r.id(), OutcomeStatus.REJECTED, describe("Gate-Set-Err", err));
                }
                default -> {
                    return unexpected(r.id(), GateCommand.GATE_SET, a);
                }
            }
        });
    }

    private CompletableFuture<Outcome> removeOne(String id, Duration lifetime) {
        return serialized(id, rid -> {
            Gate g = byReservation.get(rid);
            if (g == null) {
                return CompletableFuture.completedFuture(Outcome.of(rid, OutcomeStatus.NOT_FOUND));
            }
            return gateDelete(g, lifetime);
        });
    }

    private CompletableFuture<Outcome> gateDelete(Gate g, Duration lifetime) {
        String id = g.reservation.id();
        List<PcmmObject> body;
        try {
            body = GateMapping.gateRef(g.reservation, g.gateId, cfg);
        } catch (CopsException e) {
            return CompletableFuture.completedFuture(new Outcome(id, OutcomeStatus.FAILED, e.getMessage()));
        }
        return session.transact(GateCommand.GATE_DELETE, body, lifetime).handle((answers, e) -> {
            if (e != null) {
                return failed(id, e);
            }
            PcmmCommand a = answers.get(answers.size() - 1);
            switch (a.command()) {
                case GATE_DELETE_ACK -> {
                    forget(id);
                    return Outcome.of(id, OutcomeStatus.REMOVED);
                }
                case GATE_DELETE_ERR -> {
                    PcmmObject.PacketCableError err = a.first(PcmmObject.PacketCableError.class).orElseThrow();
                    if (err.code() == PcmmErrorCode.UNKNOWN_GATE_ID.code()) {
                        forget(id);
                        return new Outcome(id, OutcomeStatus.NOT_FOUND, describe("Gate-Delete-Err", err));
                    }
                    return new Outcome(id, OutcomeStatus.REJECTED, describe("Gate-Delete-Err", err));
                }
                default -> {
                    return unexpected(id, GateCommand.GATE_DELETE, a);
                }
            }
        });
    }

    private static String describe(String what, PcmmObject.PacketCableError err) {
        return what + " " + PcmmErrorCode.describe(err.code()) + " (subcode 0x" + Integer.toHexString(err.subcode()) + ")";
    }

    private Outcome unexpected(String id, GateCommand sent, PcmmCommand answer) {
        if (answer.command() == GateCommand.GATE_CMD_ERR) {
            PcmmObject.PacketCableError err = answer.first(PcmmObject.PacketCableError.class).orElseThrow();
            return new Outcome(id, OutcomeStatus.REJECTED, describe("Gate-Cmd-Err", err));
        }
        LOG.warn("CMTS {} answered {} with {}", cfg.deviceId(), sent.specName(), answer.command().specName());
        return new Outcome(id, OutcomeStatus.FAILED, sent.specName() + " answered with " + answer.command().specName());
    }

    private static Outcome failed(String id, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof SessionFailure s) {
            return new Outcome(id, s.status(), s.getMessage());
        }
        return new Outcome(id, OutcomeStatus.FAILED, String.valueOf(cause));
    }

    private void remember(DeviceReservation r, long gateId) {
        Gate old = byReservation.put(r.id(), new Gate(gateId, r, ++epoch));
        if (old != null && old.gateId != gateId) {
            byGateId.remove(old.gateId);
        }
        byGateId.put(gateId, r.id());
    }

    private void forget(String reservationId) {
        Gate old = byReservation.remove(reservationId);
        if (old != null) {
            byGateId.remove(old.gateId, reservationId);
        }
    }

    private void reported(PcmmCommand report) {
        long gateId = report.first(PcmmObject.GateId.class).map(PcmmObject.GateId::id).orElse(-1L);
        PcmmObject.GateState state = report.first(PcmmObject.GateState.class).orElse(null);
        String id = byGateId.get(gateId);
        if (id == null || state == null) {
            LOG.debug("Gate-Report-State for gate 0x{} that is not ours", Long.toHexString(gateId));
            return;
        }
        String why = GateStateValue.Reason.describe(state.reason());
        if (state.state() == GateStateValue.IDLE_CLOSED) {
            forget(id);
            LOG.warn("CMTS {} closed gate 0x{} of reservation {}: {}", cfg.deviceId(), Long.toHexString(gateId), id, why);
        } else {
            LOG.warn("CMTS {} reports gate 0x{} of reservation {} {}: {}", cfg.deviceId(), Long.toHexString(gateId), id, state.state(), why);
        }
    }

    // ---------------------------------------------------------------- synchronization (event loop)

    /** The first Synch of a connection: a CMTS that refuses Synch leaves the mirror as it is. */
    private CompletableFuture<?> initialSynchronization() {
        return synchronize(cfg.timeout()).handle((v, e) -> {
            if (e == null) {
                return null;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof SessionFailure s && s.status() == OutcomeStatus.REJECTED) {
                LOG.warn("CMTS {} refused synchronization ({}); gates made before this connection are not reconciled", cfg.deviceId(),
                        s.getMessage());
                return null;
            }
            throw cause instanceof RuntimeException re ? re : new SessionFailure(OutcomeStatus.FAILED, String.valueOf(cause));
        });
    }

    /** A full Synch with complete gate data; joins one in flight. */
    private CompletableFuture<List<DeviceReservation>> synchronize(Duration lifetime) {
        if (synchronizing != null) {
            return synchronizing;
        }
        long since = epoch;
        CompletableFuture<List<DeviceReservation>> f = session.transact(GateCommand.SYNCH_REQUEST, List.of(cfg.amid(),
                new PcmmObject.SynchOptions(PcmmObject.SynchOptions.COMPLETE_GATE_DATA, PcmmObject.SynchOptions.FULL_SYNCHRONIZATION)),
                lifetime).thenCompose(answers -> gatesOf(answers, lifetime)).thenApply(found -> adopt(found, since));
        synchronizing = f;
        f.whenComplete((v, e) -> {
            if (synchronizing == f) {
                synchronizing = null;
            }
        });
        return f;
    }

    /** The reservations behind the reported gates, asking Gate-Info for gates reported without Opaque Data. */
    private CompletableFuture<Map<Long, DeviceReservation>> gatesOf(List<PcmmCommand> answers, Duration lifetime) {
        PcmmCommand last = answers.get(answers.size() - 1);
        if (last.command() != GateCommand.SYNCH_COMPLETE) {
            String detail = last.command() == GateCommand.GATE_CMD_ERR
                    ? describe("Gate-Cmd-Err", last.first(PcmmObject.PacketCableError.class).orElseThrow())
                    : "Synch-Request answered with " + last.command().specName();
            return CompletableFuture.failedFuture(new SessionFailure(OutcomeStatus.REJECTED, detail));
        }
        Map<Long, DeviceReservation> found = new LinkedHashMap<>();
        List<CompletableFuture<Void>> infos = new ArrayList<>();
        for (PcmmCommand report : answers.subList(0, answers.size() - 1)) {
            if (!cfg.amid().equals(report.first(PcmmObject.Amid.class).orElse(null))) {
                continue;
            }
            if (report.first(PcmmObject.GateState.class).map(s -> s.state() == GateStateValue.IDLE_CLOSED).orElse(false)) {
                continue;
            }
            long gateId = report.first(PcmmObject.GateId.class).orElseThrow().id();
            Optional<PcmmObject.OpaqueData> opaque = report.first(PcmmObject.OpaqueData.class);
            if (opaque.isPresent()) {
                GateMapping.reservation(opaque.get()).ifPresent(r -> found.put(gateId, r));
            } else {
                PcmmObject subscriber = report.first(PcmmObject.SubscriberId.class).orElseThrow();
                infos.add(session.transact(GateCommand.GATE_INFO, List.of(cfg.amid(), subscriber, new PcmmObject.GateId(gateId)), lifetime)
                        .thenAccept(a -> {
                            PcmmCommand info = a.get(a.size() - 1);
                            if (info.command() == GateCommand.GATE_INFO_ACK) {
                                info.first(PcmmObject.OpaqueData.class).flatMap(GateMapping::reservation)
                                        .ifPresent(r -> found.put(gateId, r));
                            }
                        }));
            }
        }
        return CompletableFuture.allOf(infos.toArray(CompletableFuture[]::new)).thenApply(v -> found);
    }

    /**
     * Makes the mirror match the CMTS: gates found are adopted (unless a command for their
     * reservation is in flight), gates the mirror knew since before the Synch started and the CMTS
     * no longer reports are dropped.
     */
    private List<DeviceReservation> adopt(Map<Long, DeviceReservation> found, long since) {
        Map<String, Long> seen = new HashMap<>();
        List<DeviceReservation> listed = new ArrayList<>();
        for (Map.Entry<Long, DeviceReservation> e : found.entrySet()) {
            DeviceReservation r = e.getValue();
            Long other = seen.putIfAbsent(r.id(), e.getKey());
            if (other != null) {
                LOG.warn("CMTS {} holds two gates (0x{}, 0x{}) for reservation {}; listing one", cfg.deviceId(), Long.toHexString(other),
                        Long.toHexString(e.getKey()), r.id());
                continue;
            }
            listed.add(r);
            if (!busy.containsKey(r.id())) {
                Gate g = byReservation.get(r.id());
                if (g == null || g.gateId != e.getKey() || !g.reservation.equals(r)) {
                    remember(r, e.getKey());
                }
            }
        }
        for (Iterator<Map.Entry<String, Gate>> it = byReservation.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Gate> e = it.next();
            if (!seen.containsKey(e.getKey()) && e.getValue().epoch <= since && !busy.containsKey(e.getKey())) {
                LOG.warn("CMTS {} no longer holds gate 0x{} of reservation {}", cfg.deviceId(), Long.toHexString(e.getValue().gateId),
                        e.getKey());
                byGateId.remove(e.getValue().gateId, e.getKey());
                it.remove();
            }
        }
        return listed;
    }
}
