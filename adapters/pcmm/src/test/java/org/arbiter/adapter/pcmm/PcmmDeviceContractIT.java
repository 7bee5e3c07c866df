package org.arbiter.adapter.pcmm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.arbiter.adapter.tck.DeviceAdapterContract;
import org.arbiter.adapter.tck.DeviceProbe;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.DeviceAdapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The PCMM adapter passes the conformance kit against the CMTS emulator over COPS on loopback; the
 * emulator's gates (their Opaque Data and traffic profile rate) are the device side.
 */
class PcmmDeviceContractIT extends DeviceAdapterContract {

    private static CmtsEmulator cmts;
    private static CmtsEmulator slowCmts;

    @BeforeAll
    static void startEmulators() {
        cmts = CmtsEmulator.start();
        slowCmts = CmtsEmulator.start();
    }

    @AfterAll
    static void stopEmulators() {
        cmts.close();
        slowCmts.close();
    }

    static DeviceAdapter pcmm(int port) {
        Map<String, Object> s = new HashMap<>();
        s.put("host", "127.0.0.1");
        s.put("port", port);
        s.put("amid", "1:42");
        s.put("timeout-ms", 3000);
        s.put("reconnect-min-ms", 50);
        s.put("reconnect-max-ms", 500);
        return new PcmmAdapterProvider().create(new AdapterConfig("cmts-1", "devices[0].settings", s));
    }

    @Override
    protected DeviceAdapter createReachable() {
        return pcmm(cmts.port());
    }

    @Override
    protected DeviceAdapter createUnreachable() {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
        return pcmm(closedPort);
    }

    @Override
    protected DeviceAdapter createSlow(Duration answerDelay) {
        slowCmts.answerDelay(answerDelay);
        return pcmm(slowCmts.port());
    }

    @Override
    protected Optional<DeviceProbe> probe(DeviceAdapter reachable) {
        return Optional.of(() -> cmts.gates().stream()
                .flatMap(g -> g.reservation().map(r -> new DeviceProbe.Row(r.id(), g.rateBps())).stream())
                .toList());
    }
}
