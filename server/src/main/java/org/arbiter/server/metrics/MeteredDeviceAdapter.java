package org.arbiter.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceListing;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;

/**
 * Counts and times every call of a device adapter: {@code arbiter_adapter_seconds{device,op}} and
 * {@code arbiter_adapter_outcomes_total{device,op,status}}. Remembers the last health seen.
 */
public final class MeteredDeviceAdapter implements DeviceAdapter {

    private final DeviceAdapter delegate;
    private final String adapterName;
    private final MeterRegistry registry;
    private volatile DeviceHealth lastHealth;

    public MeteredDeviceAdapter(DeviceAdapter delegate, String adapterName, MeterRegistry registry) {
        this.delegate = delegate;
        this.adapterName = adapterName;
        this.registry = registry;
    }

    /** The adapter (plugin) name of this device. */
    public String adapterName() {
        return adapterName;
    }

    /** The last health check result, or {@code null} before the first. */
    public DeviceHealth lastHealth() {
        return lastHealth;
    }

    private <T> T timed(String op, Supplier<T> call) {
        Timer.Sample s = Timer.start(registry);
        try {
            return call.get();
        } finally {
            s.stop(Timer.builder("arbiter_adapter").tag("device", delegate.deviceId()).tag("op", op)
                    .publishPercentileHistogram().register(registry));
        }
    }

    private List<Outcome> counted(String op, List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            registry.counter("arbiter_adapter_outcomes", "device", delegate.deviceId(), "op", op, "status", o.status().name())
                    .increment();
        }
        return outcomes;
    }

    @Override
    public String deviceId() {
        return delegate.deviceId();
    }

    @Override
    public List<Outcome> install(List<DeviceReservation> batch, Duration timeout) {
        return counted("install", timed("install", () -> delegate.install(batch, timeout)));
    }

    @Override
    public List<Outcome> remove(List<String> ids, Duration timeout) {
        return counted("remove", timed("remove", () -> delegate.remove(ids, timeout)));
    }

    @Override
    public DeviceListing list(Duration timeout) {
        return timed("list", () -> delegate.list(timeout));
    }

    @Override
    public DeviceHealth health(Duration timeout) {
        DeviceHealth h = timed("health", () -> delegate.health(timeout));
        lastHealth = h;
        return h;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
