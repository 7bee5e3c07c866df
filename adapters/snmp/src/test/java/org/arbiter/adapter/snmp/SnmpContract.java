package org.arbiter.adapter.snmp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.arbiter.adapter.tck.DeviceAdapterContract;
import org.arbiter.adapter.tck.DeviceProbe;
import org.arbiter.core.adapter.DeviceAdapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance kit against a real net-snmp snmpd (one per test class), with a device model and
 * security settings of the subclass; the device side is read with snmpwalk.
 */
abstract class SnmpContract extends DeviceAdapterContract {

    private static SnmpTestBed bed;
    private final List<DelayingUdpRelay> relays = new ArrayList<>();

    @BeforeAll
    static void startAgent() throws Exception {
        bed = SnmpTestBed.start();
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @AfterEach
    void stopRelays() throws Exception {
        for (DelayingUdpRelay r : relays) {
            r.close();
        }
        relays.clear();
    }

    /** The adapter's model and security settings, for an agent on {@code port}. */
    protected abstract org.arbiter.core.adapter.AdapterConfig config(int port);

    /** The column holding the reservation id, and the rate column with its unit in bit/s. */
    protected abstract String idColumn();

    protected abstract String rateColumn();

    protected abstract long rateUnitBps();

    private DeviceAdapter adapter(int port) {
        return new SnmpAdapterProvider().create(config(port));
    }

    @Override
    protected DeviceAdapter createReachable() {
        return adapter(bed.port());
    }

    @Override
    protected DeviceAdapter createUnreachable() {
        try {
            return adapter(SnmpTestBed.freeUdpPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected DeviceAdapter createSlow(Duration answerDelay) {
        try {
            DelayingUdpRelay relay = new DelayingUdpRelay(bed.port(), answerDelay);
            relays.add(relay);
            return adapter(relay.port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Optional<DeviceProbe> probe(DeviceAdapter reachable) {
        return Optional.of(() -> bed.rows(idColumn(), rateColumn(), rateUnitBps()).stream()
                .map(r -> new DeviceProbe.Row(r[0], Long.parseLong(r[1]))).toList());
    }
}
