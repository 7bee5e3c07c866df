package org.arbiter.core.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceListing;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;

/** A device in memory that can be told to refuse installs; for engine tests. */
class FakeDevice implements DeviceAdapter {
    final String id;
    final Map<String, DeviceReservation> rows = new ConcurrentHashMap<>();
    volatile OutcomeStatus refuseWith;

    FakeDevice(String id) {
        this.id = id;
    }

    @Override
    public String deviceId() {
        return id;
    }

    @Override
    public List<Outcome> install(List<DeviceReservation> batch, Duration timeout) {
        List<Outcome> out = new ArrayList<>();
        for (DeviceReservation r : batch) {
            if (refuseWith != null) {
                out.add(new Outcome(r.id(), refuseWith, "injected"));
                continue;
            }
            DeviceReservation prev = rows.put(r.id(), r);
            out.add(Outcome.of(r.id(), r.equals(prev) ? OutcomeStatus.ALREADY_PRESENT : OutcomeStatus.APPLIED));
        }
        return out;
    }

    @Override
    public List<Outcome> remove(List<String> ids, Duration timeout) {
        return ids.stream().map(id -> Outcome.of(id, rows.remove(id) != null ? OutcomeStatus.REMOVED : OutcomeStatus.NOT_FOUND)).toList();
    }

    @Override
    public DeviceListing list(Duration timeout) {
        return DeviceListing.of(List.copyOf(rows.values()));
    }

    @Override
    public DeviceHealth health(Duration timeout) {
        return new DeviceHealth(DeviceHealth.Status.UP, "", Instant.now());
    }

    @Override
    public void close() {}
}
