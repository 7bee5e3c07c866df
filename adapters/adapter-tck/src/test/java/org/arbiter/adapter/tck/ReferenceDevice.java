package org.arbiter.adapter.tck;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceListing;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;

/**
 * A minimal in-memory adapter for testing the kit itself: correct by default, with one injected
 * bug per {@link Bug}. Rows are a list (not a map), so a duplicated row is representable.
 */
final class ReferenceDevice implements DeviceAdapter {

    /** The ways a device can be set up. */
    enum Mode { REACHABLE, UNREACHABLE, SLOW }

    /** The bugs the kit must catch. */
    enum Bug {
        /** Installing an identical reservation again adds a second row and says APPLIED. */
        DUPLICATES_IDENTICAL,
        /** An unreachable device throws instead of giving an outcome. */
        THROWS_WHEN_UNREACHABLE,
        /** A slow device is waited for in full, whatever the timeout. */
        IGNORES_TIMEOUT,
        /** Each adapter starts a thread that close() does not stop. */
        LEAKS_THREAD,
        /** Batch outcomes come back in reverse order. */
        REORDERS_BATCH
    }

    private final Mode mode;
    private final Duration delay;
    private final Set<Bug> bugs;
    private final List<DeviceReservation> rows = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch neverReleased = new CountDownLatch(1);

    ReferenceDevice(Mode mode, Duration delay, Bug... bugs) {
        this.mode = mode;
        this.delay = delay;
        this.bugs = bugs.length == 0 ? EnumSet.noneOf(Bug.class) : EnumSet.of(bugs[0], bugs);
        if (this.bugs.contains(Bug.LEAKS_THREAD)) {
            Thread t = new Thread(this::lingerBounded, "reference-device-leak");
            t.setDaemon(true);
            t.start();
        }
    }

    private void lingerBounded() {
        try {
            neverReleased.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String deviceId() {
        return "reference";
    }

    /** Null when the device answered in time; otherwise the status to report. */
    private OutcomeStatus reach(Duration timeout) {
        if (mode == Mode.UNREACHABLE) {
            if (bugs.contains(Bug.THROWS_WHEN_UNREACHABLE)) {
                throw new UncheckedIOException(new ConnectException("Connection refused"));
            }
            return OutcomeStatus.UNREACHABLE;
        }
        if (mode == Mode.SLOW) {
            Duration wait = bugs.contains(Bug.IGNORES_TIMEOUT) || delay.compareTo(timeout) < 0 ? delay : timeout;
            try {
                closed.await(wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OutcomeStatus.FAILED;
            }
            return delay.compareTo(timeout) < 0 ? null : OutcomeStatus.TIMEOUT;
        }
        return null;
    }

    @Override
    public List<Outcome> install(List<DeviceReservation> batch, Duration timeout) {
        OutcomeStatus fault = reach(timeout);
        List<Outcome> out = new ArrayList<>();
        synchronized (rows) {
            for (DeviceReservation r : batch) {
                if (fault != null) {
                    out.add(Outcome.of(r.id(), fault));
                } else if (rows.contains(r) && !bugs.contains(Bug.DUPLICATES_IDENTICAL)) {
                    out.add(Outcome.of(r.id(), OutcomeStatus.ALREADY_PRESENT));
                } else {
                    if (!rows.contains(r)) {
                        rows.removeIf(x -> x.id().equals(r.id()));
                    }
                    rows.add(r);
                    out.add(Outcome.of(r.id(), OutcomeStatus.APPLIED));
                }
            }
        }
        return ordered(out);
    }

    @Override
    public List<Outcome> remove(List<String> reservationIds, Duration timeout) {
        OutcomeStatus fault = reach(timeout);
        List<Outcome> out = new ArrayList<>();
        synchronized (rows) {
            for (String id : reservationIds) {
                if (fault != null) {
                    out.add(Outcome.of(id, fault));
                } else {
                    out.add(Outcome.of(id, rows.removeIf(x -> x.id().equals(id))
                            ? OutcomeStatus.REMOVED : OutcomeStatus.NOT_FOUND));
                }
            }
        }
        return ordered(out);
    }

    private List<Outcome> ordered(List<Outcome> out) {
        if (bugs.contains(Bug.REORDERS_BATCH)) {
            Collections.reverse(out);
        }
        return out;
    }

    @Override
    public DeviceListing list(Duration timeout) {
        OutcomeStatus fault = reach(timeout);
        if (fault != null) {
            return DeviceListing.failed(fault, "no answer");
        }
        synchronized (rows) {
            return DeviceListing.of(rows);
        }
    }

    @Override
    public DeviceHealth health(Duration timeout) {
        OutcomeStatus fault = reach(timeout);
        return new DeviceHealth(fault == null ? DeviceHealth.Status.UP : DeviceHealth.Status.DOWN,
                fault == null ? "" : fault.name(), Instant.now());
    }

    List<DeviceProbe.Row> rows() {
        synchronized (rows) {
            return rows.stream().map(r -> new DeviceProbe.Row(r.id(), r.rateBps())).toList();
        }
    }

    @Override
    public void close() {
        closed.countDown();
    }
}
