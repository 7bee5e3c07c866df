package org.arbiter.adapter.lab;

import java.time.Duration;
import java.util.Set;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.AdapterConfigException;
import org.arbiter.core.adapter.DeviceAdapterProvider;

/**
 * The {@code lab} device protocol: an in-memory simulated device ({@link LabDevice}) for the demo
 * and for tests of the engine.
 *
 * <p>Configuration section (every key optional):
 * <pre>
 * latency-ms:    0        # 0..60000; every call takes this long (bounded by its timeout)
 * fail:          none     # none | reject | unreachable | timeout (failure injection)
 * fail-after:    0        # 0..2147483647; the failure starts after this many successful installs
 *                         #   (only together with a fail mode other than none)
 * capacity-rows: 100000   # 0..10000000; installs beyond it are REJECTED "resourceUnavailable"
 * </pre>
 * Any other key stops startup with {@link AdapterConfigException} naming its path.
 *
 * <p><b>Threading.</b> Stateless; {@link #create} may be called from any thread.
 */
public final class LabAdapterProvider implements DeviceAdapterProvider {

    /** The protocol name devices use in the configuration. */
    public static final String NAME = "lab";

    static final Set<String> KEYS = Set.of("latency-ms", "fail", "fail-after", "capacity-rows");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public LabDevice create(AdapterConfig config) {
        config.rejectUnknownKeys(KEYS);
        long latencyMs = config.integer("latency-ms", 0, 0, 60_000);
        LabDevice.Failure failure = failure(config);
        long failAfter = config.integer("fail-after", 0, 0, Integer.MAX_VALUE);
        if (config.settings().containsKey("fail-after") && failure == LabDevice.Failure.NONE) {
            throw new AdapterConfigException(config.path() + ".fail-after", config.settings().get("fail-after"),
                    "no fail-after unless fail is one of reject, unreachable, timeout");
        }
        long capacity = config.integer("capacity-rows", 100_000, 0, 10_000_000);
        return new LabDevice(config.deviceId(), Duration.ofMillis(latencyMs), failure, failAfter, (int) capacity);
    }

    private static LabDevice.Failure failure(AdapterConfig config) {
        Object v = config.settings().get("fail");
        if (v == null) {
            return LabDevice.Failure.NONE;
        }
        if (v instanceof String s) {
            for (LabDevice.Failure f : LabDevice.Failure.values()) {
                if (f.configName().equals(s)) {
                    return f;
                }
            }
        }
        throw new AdapterConfigException(config.path() + ".fail", v, "one of none, reject, unreachable, timeout");
    }
}
