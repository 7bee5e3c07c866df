package org.arbiter.adapter.lab;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.arbiter.adapter.tck.DeviceAdapterContract;
import org.arbiter.adapter.tck.DeviceProbe;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.DeviceAdapter;

/** The lab device passes the conformance kit; its rows are the device side. */
class LabDeviceContractTest extends DeviceAdapterContract {

    private static DeviceAdapter lab(Map<String, Object> settings) {
        return new LabAdapterProvider().create(new AdapterConfig("lab-1", "devices[0]", settings));
    }

    @Override
    protected DeviceAdapter createReachable() {
        return lab(Map.of());
    }

    @Override
    protected DeviceAdapter createUnreachable() {
        return lab(Map.of("fail", "unreachable"));
    }

    @Override
    protected DeviceAdapter createSlow(Duration answerDelay) {
        return lab(Map.of("latency-ms", answerDelay.toMillis()));
    }

    @Override
    protected Optional<DeviceProbe> probe(DeviceAdapter reachable) {
        return Optional.of(() -> ((LabDevice) reachable).rows().stream()
                .map(r -> new DeviceProbe.Row(r.id(), r.rateBps())).toList());
    }
}
