package org.arbiter.adapter.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceListing;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;

/**
 * A simulated device that holds its rows in memory and honours the whole {@link DeviceAdapter}
 * contract. It is what the demo enforces on, and what tests of the engine use to make a device
 * slow, refusing, unreachable or forgetful on demand.
 *
 * <p><b>Calls.</b> Every call first takes the configured latency. A latency that reaches the
 * call's timeout gives {@link OutcomeStatus#TIMEOUT} when the timeout expires, and the call has
 * no effect. A new row beyond the capacity gives {@link OutcomeStatus#REJECTED} with detail
 * {@code resourceUnavailable}; replacing an existing row needs no capacity.
 *
 * <p><b>Failure injection.</b> The failure mode ({@link #inject}) is armed once the given number
 * of further installs has succeeded (at once for zero):
 * <pre>
 *   disarmed --(n-th successful install, n = fail-after)--> armed --(inject)--> disarmed or armed
 * </pre>
 * While armed, {@link Failure#REJECT} refuses installs ({@code REJECTED}) but still removes,
 * lists and answers health ({@code DEGRADED}); {@link Failure#UNREACHABLE} gives
 * {@code UNREACHABLE} at once on every call (health {@code DOWN}); {@link Failure#TIMEOUT}
 * waits out every call's timeout, then gives {@code TIMEOUT} (health {@code DOWN}). The failure can
 * arm in the middle of a batch: the installs before it succeed, the rest fail.
 *
 * <p><b>Threading.</b> Thread-safe. The device starts no threads: a call waits on the calling
 * thread. {@link #close()} wakes waiting calls (they give {@code FAILED "device closed"}), drops
 * the rows, and makes later calls give {@code FAILED}; it may be called more than once.
 */
public final class LabDevice implements DeviceAdapter {

    /** Failure modes that can be injected. */
    public enum Failure {
        /** The device works. */
        NONE,
        /** The device refuses installs. */
        REJECT,
        /** The device cannot be reached. */
        UNREACHABLE,
        /** The device does not answer. */
        TIMEOUT;

        /** The name in the configuration ({@code fail: reject}). */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final int DEFAULT_CAPACITY_ROWS = 100_000;
    static final Duration MAX_LATENCY = Duration.ofMinutes(1);

    private final String deviceId;
    private final int capacityRows;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Duration latency;

    private final Object lock = new Object();
    /** Guarded by lock; in installation order. */
    private final Map<String, DeviceReservation> rows = new LinkedHashMap<>();
    /** Guarded by lock. */
    private Failure failure;
    /** Guarded by lock: successful installs still to go before {@link #failure} arms. */
    private long installsBeforeFailure;

    /** A healthy device with no latency and the default capacity (100000 rows). */
    public LabDevice(String deviceId) {
        this(deviceId, Duration.ZERO, Failure.NONE, 0, DEFAULT_CAPACITY_ROWS);
    }

    LabDevice(String deviceId, Duration latency, Failure failure, long failAfter, int capacityRows) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.capacityRows = capacityRows;
        latency(latency);
        inject(failure, failAfter);
    }

    // ---------------------------------------------------------------- test and demo controls

    /** Injects a failure mode that is armed at once ({@link Failure#NONE} heals the device). */
    public void inject(Failure failure) {
        inject(failure, 0);
    }

    /** Injects a failure mode that arms after {@code afterSuccessfulInstalls} more successful installs. */
    public void inject(Failure failure, long afterSuccessfulInstalls) {
        Objects.requireNonNull(failure, "failure");
        if (afterSuccessfulInstalls < 0) {
            throw new IllegalArgumentException("afterSuccessfulInstalls must be >= 0, was " + afterSuccessfulInstalls);
        }
        synchronized (lock) {
            this.failure = failure;
            this.installsBeforeFailure = afterSuccessfulInstalls;
        }
    }

    /** Sets how long every call takes, 0 to 60 s. */
    public void latency(Duration latency) {
        if (latency.isNegative() || latency.compareTo(MAX_LATENCY) > 0) {
            throw new IllegalArgumentException("latency must be within 0 and " + MAX_LATENCY + ", was " + latency);
        }
        this.latency = latency;
    }

    /** Loses one row, as a device that dropped a reservation would; true if it was there. */
    public boolean forget(String reservationId) {
        synchronized (lock) {
            return rows.remove(reservationId) != null;
        }
    }

    /** Loses every row, as a device that restarted would. */
    public void forgetAll() {
        synchronized (lock) {
            rows.clear();
        }
    }

    /** What the device holds now, in installation order, bypassing latency and failures. */
    public List<DeviceReservation> rows() {
        synchronized (lock) {
            return List.copyOf(rows.values());
        }
    }

    // ---------------------------------------------------------------- the SPI

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public List<Outcome> install(List<DeviceReservation> batch, Duration timeout) {
        long deadline = deadline(timeout);
        Outcome fault = arrive(deadline, timeout);
        if (fault != null) {
            return batch.stream().map(r -> new Outcome(r.id(), fault.status(), fault.detail())).toList();
        }
        List<Outcome> out = new ArrayList<>(batch.size());
        boolean late = false;
        synchronized (lock) {
            for (DeviceReservation r : batch) {
                Failure armed = armed();
                if (armed != Failure.NONE) {
                    out.add(failed(r.id(), armed, timeout));
                    late |= armed == Failure.TIMEOUT;
                    continue;
                }
                DeviceReservation old = rows.get(r.id());
                if (r.equals(old)) {
                    out.add(Outcome.of(r.id(), OutcomeStatus.ALREADY_PRESENT));
                } else if (old == null && rows.size() >= capacityRows) {
                    out.add(new Outcome(r.id(), OutcomeStatus.REJECTED,
                            "resourceUnavailable: the device holds its maximum of " + capacityRows + " rows"));
                    continue;
                } else {
                    rows.put(r.id(), r);
                    out.add(Outcome.of(r.id(), OutcomeStatus.APPLIED));
                }
                if (installsBeforeFailure > 0) {
                    installsBeforeFailure--;
                }
            }
        }
        if (late) {
            Outcome cut = waitUntil(deadline);
            if (cut != null) {
                return batch.stream().map(r -> new Outcome(r.id(), cut.status(), cut.detail())).toList();
            }
        }
        return out;
    }

    @Override
    public List<Outcome> remove(List<String> reservationIds, Duration timeout) {
        long deadline = deadline(timeout);
        Outcome fault = callFault(deadline, timeout);
        if (fault != null) {
            return reservationIds.stream().map(id -> new Outcome(id, fault.status(), fault.detail())).toList();
        }
        List<Outcome> out = new ArrayList<>(reservationIds.size());
        synchronized (lock) {
            for (String id : reservationIds) {
                out.add(Outcome.of(id, rows.remove(id) != null ? OutcomeStatus.REMOVED : OutcomeStatus.NOT_FOUND));
            }
        }
        return out;
    }

    @Override
    public DeviceListing list(Duration timeout) {
        long deadline = deadline(timeout);
        Outcome fault = callFault(deadline, timeout);
        if (fault != null) {
            return DeviceListing.failed(fault.status(), fault.detail());
        }
        return DeviceListing.of(rows());
    }

    @Override
    public DeviceHealth health(Duration timeout) {
        long deadline = deadline(timeout);
        Outcome fault = callFault(deadline, timeout);
        if (fault != null) {
            return new DeviceHealth(DeviceHealth.Status.DOWN, fault.status() + ": " + fault.detail(), Instant.now());
        }
        synchronized (lock) {
            String held = rows.size() + " of " + capacityRows + " rows";
            return armed() == Failure.REJECT
                    ? new DeviceHealth(DeviceHealth.Status.DEGRADED, "refusing installs (injected failure); " + held,
                            Instant.now())
                    : new DeviceHealth(DeviceHealth.Status.UP, held, Instant.now());
        }
    }

    @Override
    public void close() {
        closed.countDown();
        synchronized (lock) {
            rows.clear();
        }
    }

    // ---------------------------------------------------------------- timing and faults

    private static long deadline(Duration timeout) {
        return System.nanoTime() + Math.max(0, timeout.toNanos());
    }

    /** Guarded by lock: the failure in force now. */
    private Failure armed() {
        return installsBeforeFailure == 0 ? failure : Failure.NONE;
    }

    private Outcome failed(String id, Failure armed, Duration timeout) {
        return switch (armed) {
            case REJECT -> new Outcome(id, OutcomeStatus.REJECTED, "refused (injected failure)");
            case UNREACHABLE -> new Outcome(id, OutcomeStatus.UNREACHABLE, "unreachable (injected failure)");
            case TIMEOUT -> new Outcome(id, OutcomeStatus.TIMEOUT, "no answer within " + timeout + " (injected failure)");
            case NONE -> throw new IllegalStateException("not a failure: " + armed);
        };
    }

    /** Takes the latency; null when the device then answers, otherwise the outcome for every item. */
    private Outcome arrive(long deadline, Duration timeout) {
        if (closed.getCount() == 0) {
            return new Outcome(deviceId, OutcomeStatus.FAILED, "device closed");
        }
        Duration lat = latency;
        if (lat.toNanos() >= deadline - System.nanoTime()) {
            Outcome cut = waitUntil(deadline);
            return cut != null ? cut : new Outcome(deviceId, OutcomeStatus.TIMEOUT,
                    "no answer within " + timeout + " (latency " + lat + ")");
        }
        return lat.isZero() ? null : waitUntil(System.nanoTime() + lat.toNanos());
    }

    /** Latency, then an armed UNREACHABLE or TIMEOUT failure; null when the call may go ahead. */
    private Outcome callFault(long deadline, Duration timeout) {
        Outcome fault = arrive(deadline, timeout);
        if (fault != null) {
            return fault;
        }
        Failure armed;
        synchronized (lock) {
            armed = armed();
        }
        if (armed == Failure.UNREACHABLE) {
            return failed(deviceId, armed, timeout);
        }
        if (armed == Failure.TIMEOUT) {
            Outcome cut = waitUntil(deadline);
            return cut != null ? cut : failed(deviceId, armed, timeout);
        }
        return null;
    }

    /** Waits on the calling thread; null when the time passed, otherwise why the wait was cut short. */
    private Outcome waitUntil(long nanoTime) {
        try {
            long left = nanoTime - System.nanoTime();
            if (left > 0 && closed.await(left, TimeUnit.NANOSECONDS)) {
                return new Outcome(deviceId, OutcomeStatus.FAILED, "device closed");
            }
            return closed.getCount() == 0 ? new Outcome(deviceId, OutcomeStatus.FAILED, "device closed") : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(deviceId, OutcomeStatus.FAILED, "interrupted");
        }
    }
}
