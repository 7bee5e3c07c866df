package org.arbiter.adapter.netconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceHealth;
import org.arbiter.core.adapter.DeviceListing;
import org.arbiter.core.adapter.OutcomeStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session layer against a {@link ScriptedNetconfDevice}: password authentication, a device
 * that only speaks base:1.0, and devices that break the framing, send broken XML, answer with a
 * wrong message-id or drop the channel. Every fault is a typed outcome, and the next call works on
 * a new session.
 */
@Timeout(60)
class NetconfSessionIT {

    private static final String PASSWORD = "scripted-pw-1";
    private static final Duration T = Duration.ofSeconds(5);

    @TempDir
    Path tmp;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private ScriptedNetconfDevice device(boolean base11, boolean garbageHello) throws Exception {
        ScriptedNetconfDevice d = new ScriptedNetconfDevice(PASSWORD, base11, garbageHello);
        open.add(d);
        return d;
    }

    private DeviceAdapter adapter(ScriptedNetconfDevice d, String password) throws Exception {
        Map<String, Object> s = new HashMap<>();
        s.put("host", "127.0.0.1");
        s.put("port", d.port());
        s.put("username", "arbiter");
        s.put("password", password);
        s.put("known-hosts", d.knownHosts(tmp).toString());
        DeviceAdapter a = new NetconfAdapterProvider().create(NetconfTestBed.config(s));
        open.add(a);
        return a;
    }

    @Test
    void passwordAuthenticationOpensAChunkedSession() throws Exception {
        ScriptedNetconfDevice d = device(true, false);

        DeviceHealth h = adapter(d, PASSWORD).health(T);

        assertThat(h.status()).as(h.detail()).isEqualTo(DeviceHealth.Status.UP);
        assertThat(h.detail()).contains("chunked framing");
    }

    @Test
    void firstRpcHeldByTheDeviceIsReleasedByASecondPrimer() throws Exception {
        ScriptedNetconfDevice d = device(true, false);
        DeviceAdapter a = adapter(d, PASSWORD);
        d.failNext(ScriptedNetconfDevice.Fault.HOLD);

        DeviceHealth h = a.health(T);

        assertThat(h.status()).as(h.detail()).isEqualTo(DeviceHealth.Status.UP);
        assertThat(d.received()).hasSize(3);
        assertThat(d.received().subList(0, 2)).allSatisfy(rpc -> assertThat(rpc).contains(NetconfSession.PRIMER));
    }

    @Test
    void wrongPasswordGivesUnreachable() throws Exception {
        ScriptedNetconfDevice d = device(true, false);

        DeviceListing l = adapter(d, "wrong").list(T);

        assertThat(l.status()).isEqualTo(OutcomeStatus.UNREACHABLE);
        assertThat(l.detail()).contains("authentication").doesNotContain("wrong");
    }

    @Test
    void base10OnlyDeviceGetsEndOfMessageFraming() throws Exception {
        ScriptedNetconfDevice d = device(false, false);
        DeviceAdapter a = adapter(d, PASSWORD);

        DeviceHealth h = a.health(T);
        DeviceListing l = a.list(T);

        assertThat(h.detail()).contains("end-of-message framing");
        assertThat(l.status()).isEqualTo(OutcomeStatus.APPLIED);
        assertThat(d.received()).hasSize(3).allSatisfy(rpc -> assertThat(rpc).startsWith("<rpc message-id="));
        assertThat(d.received().getFirst()).as("the primer").contains(NetconfSession.PRIMER);
    }

    @Test
    void malformedChunkGivesFailedAndTheNextCallUsesANewSession() throws Exception {
        ScriptedNetconfDevice d = device(true, false);
        DeviceAdapter a = adapter(d, PASSWORD);
        d.failNext(ScriptedNetconfDevice.Fault.MALFORMED_CHUNK);

        DeviceListing broken = a.list(T);
        DeviceListing next = a.list(T);

        assertThat(broken.status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(broken.detail()).contains("malformed framing").contains("chunk size");
        assertThat(next.status()).isEqualTo(OutcomeStatus.APPLIED);
    }

    @Test
    void replyThatIsNotWellFormedXmlGivesFailed() throws Exception {
        ScriptedNetconfDevice d = device(true, false);
        DeviceAdapter a = adapter(d, PASSWORD);
        d.failNext(ScriptedNetconfDevice.Fault.BROKEN_XML);

        DeviceListing l = a.list(T);

        assertThat(l.status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(l.detail()).contains("malformed XML");
    }

    @Test
    void helloThatIsNoXmlGivesDownHealth() throws Exception {
        ScriptedNetconfDevice d = device(true, true);

        DeviceHealth h = adapter(d, PASSWORD).health(T);

        assertThat(h.status()).isEqualTo(DeviceHealth.Status.DOWN);
        assertThat(h.detail()).contains("malformed XML");
    }

    @Test
    void replyWithAnotherMessageIdIsIgnoredAndTheCallTimesOut() throws Exception {
        ScriptedNetconfDevice d = device(true, false);
        DeviceAdapter a = adapter(d, PASSWORD);
        assertThat(a.health(T).status()).isEqualTo(DeviceHealth.Status.UP);
        d.failNext(ScriptedNetconfDevice.Fault.WRONG_MESSAGE_ID);
        Duration timeout = Duration.ofMillis(600);

        long start = System.nanoTime();
        DeviceListing l = a.list(timeout);

        assertThat(l.status()).isEqualTo(OutcomeStatus.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.plusMillis(750));
    }

    @Test
    void channelClosedByTheDeviceMidCallIsRetriedOnANewSession() throws Exception {
        ScriptedNetconfDevice d = device(true, false);
        DeviceAdapter a = adapter(d, PASSWORD);
        assertThat(a.health(T).status()).isEqualTo(DeviceHealth.Status.UP);
        d.failNext(ScriptedNetconfDevice.Fault.CLOSE);

        DeviceListing l = a.list(T);

        assertThat(l.status()).as(l.detail()).isEqualTo(OutcomeStatus.APPLIED);
        assertThat(d.received()).filteredOn(rpc -> rpc.contains(NetconfSession.PRIMER)).as("one primer per session").hasSize(2);
        assertThat(d.received()).filteredOn(rpc -> rpc.contains("<get-config") && !rpc.contains(NetconfSession.PRIMER))
                .as("health, the list the device dropped, the list again").hasSize(3);
    }
}
