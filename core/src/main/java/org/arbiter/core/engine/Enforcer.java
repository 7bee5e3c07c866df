package org.arbiter.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;
import org.arbiter.core.ledger.Hold;

/**
 * Applies and removes holds on the devices that enforce their pools.
 *
 * <p>Holds are grouped per device. Concurrent requests to one device are coalesced
 * ({@link DeviceQueue}): one batch in flight per device, the requests that arrive meanwhile go out
 * together in the next, at most {@link #MAX_BATCH} items. A hold whose pool has no device is
 * skipped (admission-only pool). A hold naming a device that has no adapter is a failure
 * (configuration and topology disagree).
 *
 * <p>Design (who calls the adapter): a caller that finds a device idle calls its adapter on its
 * own thread, with no hand-off. When one request touches several devices, the fast ones (whose
 * last call took under {@link DeviceQueue#FAST_CALL_NANOS}) and one slow one are called in turn on
 * the caller's thread, each claimed only when its turn comes, and every other slow one from a
 * virtual thread, so that slow devices are still driven in parallel. A busy device's adapter is
 * called by its current drainer, and the caller waits for that batch. Every adapter call gets the
 * per-device timeout (adapters return within it, {@link DeviceAdapter}); a caller waits at most
 * twice that plus a second for its outcomes (its own call and one batch ahead of it), after which
 * they are TIMEOUT and its unsent items are withdrawn. Any outcome but success counts as a
 * failure, so callers fail closed.
 *
 * <p>Thread-safe.
 */
public final class Enforcer implements AutoCloseable {

    private final Map<String, DeviceAdapter> devices;
    private final Duration timeout;
    /** {@link #queueWait()} in milliseconds, computed once. */
    private final long queueWaitMillis;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, DeviceQueue<DeviceReservation>> installs = new HashMap<>();
    private final Map<String, DeviceQueue<String>> removals = new HashMap<>();

    /** The most reservations one adapter call carries. */
    public static final int MAX_BATCH = 256;

    /**
     * @param devices the adapters by device id
     * @param timeout the per-device-call timeout
     */
    public Enforcer(Map<String, DeviceAdapter> devices, Duration timeout) {
        this.devices = Map.copyOf(devices);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.queueWaitMillis = queueWait().toMillis();
        this.devices.forEach((id, a) -> {
            installs.put(id, new DeviceQueue<>(DeviceReservation::id, batch -> a.install(batch, timeout), MAX_BATCH, executor));
            removals.put(id, new DeviceQueue<>(r -> r, batch -> a.remove(batch, timeout), MAX_BATCH, executor));
        });
    }

    /** Reservations waiting to be sent to a device (for tests and metrics). */
    int queuedInstalls(String deviceId) {
        DeviceQueue<DeviceReservation> q = installs.get(deviceId);
        return q == null ? 0 : q.queued();
    }

    /** How long a caller waits for its batch: its own call, plus one batch ahead of it. */
    private Duration queueWait() {
        return timeout.multipliedBy(2).plusSeconds(1);
    }

    /** The configured adapters by device id. */
    public Map<String, DeviceAdapter> devices() {
        return devices;
    }

    /**
     * The result of applying a set of holds.
     *
     * @param applied the reservations confirmed by their device
     * @param failures the reservations that failed, with the device outcome
     */
    public record Result(List<DeviceReservation> applied, List<Outcome> failures) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    /** The device reservation for a hold. */
    public static DeviceReservation reservationOf(Hold h) {
        return new DeviceReservation(h.reservationId(), h.sessionId(), h.poolId(), h.direction(), h.partyAddress(),
                h.bandwidthBps(), DeviceReservation.defaultBurst(h.bandwidthBps()), h.dscp(), h.maxLatencyMs());
    }

    /** Installs the holds on their devices; does not roll back (see {@link #remove}). */
    public Result install(List<Hold> holds) {
        Map<String, List<DeviceReservation>> byDevice = new LinkedHashMap<>();
        List<Outcome> failures = new ArrayList<>();
        for (Hold h : holds) {
            if (h.deviceId() == null) {
                continue;
            }
            byDevice.computeIfAbsent(h.deviceId(), d -> new ArrayList<>()).add(reservationOf(h));
        }
        List<Call<DeviceReservation>> calls = new ArrayList<>(byDevice.size());
        for (var e : byDevice.entrySet()) {
            DeviceQueue<DeviceReservation> q = installs.get(e.getKey());
            if (q == null) {
                for (DeviceReservation r : e.getValue()) {
                    failures.add(new Outcome(r.id(), OutcomeStatus.FAILED, "no adapter configured for device '" + e.getKey() + "'"));
                }
                continue;
            }
            calls.add(new Call<>(q, e.getValue()));
        }
        List<DeviceReservation> applied = new ArrayList<>();
        for (Call<DeviceReservation> c : run(calls)) {
            List<DeviceReservation> batch = c.pending.items;
            for (int i = 0; i < batch.size(); i++) {
                Outcome o = i < c.outcomes.size() ? c.outcomes.get(i) : new Outcome(batch.get(i).id(), OutcomeStatus.FAILED, "no outcome from adapter");
                if (o.status().ok()) {
                    applied.add(batch.get(i));
                } else {
                    failures.add(o);
                }
            }
        }
        return new Result(applied, failures);
    }

    /** Removes reservations from their devices; returns the outcomes that failed. */
    public List<Outcome> remove(List<Hold> holds) {
        Map<String, List<String>> byDevice = new LinkedHashMap<>();
        for (Hold h : holds) {
            if (h.deviceId() != null) {
                byDevice.computeIfAbsent(h.deviceId(), d -> new ArrayList<>()).add(h.reservationId());
            }
        }
        return removeIds(byDevice);
    }

    /** Removes reservations by id from the given devices; returns the outcomes that failed. */
    public List<Outcome> removeIds(Map<String, List<String>> byDevice) {
        List<Outcome> failures = new ArrayList<>();
        List<Call<String>> calls = new ArrayList<>(byDevice.size());
        for (var e : byDevice.entrySet()) {
            DeviceQueue<String> q = removals.get(e.getKey());
            if (q == null) {
                e.getValue().forEach(id -> failures.add(new Outcome(id, OutcomeStatus.FAILED, "no adapter for device '" + e.getKey() + "'")));
                continue;
            }
            calls.add(new Call<>(q, List.copyOf(e.getValue())));
        }
        for (Call<String> c : run(calls)) {
            for (Outcome o : c.outcomes) {
                if (!o.status().ok()) {
                    failures.add(o);
                }
            }
        }
        return failures;
    }

    /** One device's part of a request. */
    private static final class Call<T> {
        final DeviceQueue<T> queue;
        final DeviceQueue.Pending<T> pending;
        List<Outcome> outcomes;

        Call(DeviceQueue<T> queue, List<T> items) {
            this.queue = queue;
            this.pending = queue.enqueue(items);
        }

        /** Drains the device here if it is idle; a busy device's drainer sends the items. */
        void drainIfIdle() {
            if (queue.tryClaim()) {
                queue.drain(pending);
            }
        }
    }

    /**
     * Sends every call's items and collects their outcomes (see the class comment): every slow
     * device but the first is drained on a virtual thread when idle; the fast ones, then the first
     * slow one, are drained here one after the other when idle, each claimed only when its turn
     * comes; then the outcomes are awaited.
     */
    private <T> List<Call<T>> run(List<Call<T>> calls) {
        long waitMillis = queueWaitMillis;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        Call<T> slowHere = null;
        List<Call<T>> here = new ArrayList<>(calls.size());
        for (Call<T> c : calls) {
            if (!c.queue.slow()) {
                here.add(c);
            } else if (slowHere == null) {
                slowHere = c;
            } else if (!drainElsewhere(c)) {
                here.add(c);
            }
        }
        if (slowHere != null) {
            here.add(slowHere);
        }
        for (Call<T> c : here) {
            c.drainIfIdle();
        }
        for (Call<T> c : calls) {
            c.outcomes = c.queue.await(c.pending, deadline, waitMillis);
        }
        return calls;
    }

    /** Drains the call's device on a virtual thread; false when the executor is shut down. */
    private <T> boolean drainElsewhere(Call<T> c) {
        try {
            executor.execute(c::drainIfIdle);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
