package org.arbiter.adapter.netconf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.arbiter.adapter.tck.DeviceAdapterContract;
import org.arbiter.adapter.tck.DeviceProbe;
import org.arbiter.core.adapter.DeviceAdapter;
import org.junit.jupiter.api.AfterEach;

/**
 * The NETCONF adapter passes the conformance kit against a real yuma123 netconfd behind a private
 * OpenSSH sshd ({@link NetconfTestBed}), with the shipped arbiter-qos model, key authentication and
 * host key verification. The device side is read over a session of the OpenSSH client's own. The
 * two subclasses run the kit against a device that edits the candidate datastore (with commit and
 * confirmed commit) and one that edits running directly.
 */
abstract class NetconfDeviceContractIT extends DeviceAdapterContract {

    private final List<DelayingTcpRelay> relays = new ArrayList<>();

    /** The device this class runs against. */
    abstract NetconfTestBed bed();

    @AfterEach
    void stopRelays() throws Exception {
        for (DelayingTcpRelay r : relays) {
            r.close();
        }
        relays.clear();
    }

    private DeviceAdapter adapter(int port) {
        try {
            return new NetconfAdapterProvider().create(NetconfTestBed.config(bed().settings(port)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected DeviceAdapter createReachable() {
        return adapter(bed().port());
    }

    @Override
    protected DeviceAdapter createUnreachable() {
        try {
            return adapter(NetconfTestBed.freeTcpPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected DeviceAdapter createSlow(Duration answerDelay) {
        try {
            DelayingTcpRelay relay = new DelayingTcpRelay(bed().port(), answerDelay);
            relays.add(relay);
            return adapter(relay.port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Optional<DeviceProbe> probe(DeviceAdapter reachable) {
        return Optional.of(() -> bed().qosRows().stream()
                .map(r -> new DeviceProbe.Row(r[0], Long.parseLong(r[1]))).toList());
    }
}
