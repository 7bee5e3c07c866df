package org.arbiter.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;
import org.arbiter.core.ledger.Hold;

/**
 * Applies and removes holds on the devices that enforce their pools.
 *
 * <p>Holds are grouped per device and devices are driven in parallel on virtual threads. Concurrent
 * requests to one device are coalesced ({@link DeviceQueue}): one batch in flight per device, the
 * requests that arrive meanwhile go out together in the next, at most {@link #MAX_BATCH} items. Every call is bounded by the per-device timeout. A hold whose pool
 * has no device is skipped (admission-only pool). A hold naming a device that has no adapter is a
 * failure (configuration and topology disagree).
 *
 * <p>Thread-safe.
 */
public final class Enforcer implements AutoCloseable {

    private final Map<String, DeviceAdapter> devices;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, DeviceQueue<DeviceReservation>> installs = new java.util.HashMap<>();
    private final Map<String, DeviceQueue<String>> removals = new java.util.HashMap<>();

    /** The most reservations one adapter call carries. */
    public static final int MAX_BATCH = 256;

    /**
     * @param devices the adapters by device id
     * @param timeout the per-device-call timeout
     */
    public Enforcer(Map<String, DeviceAdapter> devices, Duration timeout) {
        this.devices = Map.copyOf(devices);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.devices.forEach((id, a) -> {
            installs.put(id, new DeviceQueue<>(DeviceReservation::id, batch -> a.install(batch, timeout), MAX_BATCH));
            removals.put(id, new DeviceQueue<>(r -> r, batch -> a.remove(batch, timeout), MAX_BATCH));
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
        Map<String, Future<List<Outcome>>> calls = new LinkedHashMap<>();
        for (var e : byDevice.entrySet()) {
            DeviceAdapter a = devices.get(e.getKey());
            if (a == null) {
                for (DeviceReservation r : e.getValue()) {
                    failures.add(new Outcome(r.id(), OutcomeStatus.FAILED, "no adapter configured for device '" + e.getKey() + "'"));
                }
                continue;
            }
            DeviceQueue<DeviceReservation> q = installs.get(e.getKey());
            calls.put(e.getKey(), executor.submit(() -> q.submit(e.getValue(), queueWait())));
        }
        List<DeviceReservation> applied = new ArrayList<>();
        for (var e : calls.entrySet()) {
            List<DeviceReservation> batch = byDevice.get(e.getKey());
            List<Outcome> outcomes = await(e.getValue(), batch.stream().map(DeviceReservation::id).toList());
            for (int i = 0; i < batch.size(); i++) {
                Outcome o = i < outcomes.size() ? outcomes.get(i) : new Outcome(batch.get(i).id(), OutcomeStatus.FAILED, "no outcome from adapter");
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
        Map<String, Future<List<Outcome>>> calls = new LinkedHashMap<>();
        for (var e : byDevice.entrySet()) {
            DeviceAdapter a = devices.get(e.getKey());
            if (a == null) {
                e.getValue().forEach(id -> failures.add(new Outcome(id, OutcomeStatus.FAILED, "no adapter for device '" + e.getKey() + "'")));
                continue;
            }
            DeviceQueue<String> q = removals.get(e.getKey());
            calls.put(e.getKey(), executor.submit(() -> q.submit(e.getValue(), queueWait())));
        }
        for (var e : calls.entrySet()) {
            for (Outcome o : await(e.getValue(), byDevice.get(e.getKey()))) {
                if (!o.status().ok()) {
                    failures.add(o);
                }
            }
        }
        return failures;
    }

    private List<Outcome> await(Future<List<Outcome>> f, List<String> ids) {
        try {
            // the adapter honours the timeout itself; the margin covers scheduling
            return f.get(queueWait().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return ids.stream().map(id -> new Outcome(id, OutcomeStatus.TIMEOUT, "device queue exceeded " + queueWait().toMillis() + " ms")).toList();
        } catch (ExecutionException e) {
            String why = "adapter threw " + e.getCause();
            return ids.stream().map(id -> new Outcome(id, OutcomeStatus.FAILED, why)).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ids.stream().map(id -> new Outcome(id, OutcomeStatus.FAILED, "interrupted")).toList();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
