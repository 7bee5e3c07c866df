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
 * The SNMP adapter passes the conformance kit against a real net-snmp snmpd over SNMPv2c with the
 * DiffServ-style policer model (hash index, createAndWait then active); the device side is read
 * with snmpwalk.
 */
class SnmpV2cDeviceContractIT extends DeviceAdapterContract {

    static final String POLICER_ID = ".1.3.6.1.4.1.8072.9999.9999.97.1.1.2";
    static final String POLICER_RATE_KBPS = ".1.3.6.1.4.1.8072.9999.9999.97.1.1.8";

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

    private static DeviceAdapter adapter(int port) {
        return new SnmpAdapterProvider().create(SnmpTestBed.config(port, "diffserv-policer", SnmpTestBed.v2c(SnmpTestBed.RW)));
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
        return Optional.of(() -> bed.rows(POLICER_ID, POLICER_RATE_KBPS, 1000).stream()
                .map(r -> new DeviceProbe.Row(r[0], Long.parseLong(r[1]))).toList());
    }
}
