package org.arbiter.diameter.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.DiameterServer;
import org.arbiter.diameter.FreeDiameter;
import org.arbiter.diameter.Ports;
import org.arbiter.diameter.RecordingMetrics;
import org.arbiter.diameter.StubHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * freeDiameterd as a real base-protocol peer: it connects to us (ConnectPeer "pdp.test"), checks
 * that our CEA's Origin-Host is that name, and advertises only the Relay application.
 */
class FreeDiameterIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String FD = "fd.test";

    @TempDir
    Path dir;

    private final RecordingMetrics metrics = new RecordingMetrics();
    private DiameterServer server;
    private FreeDiameter fd;

    private void start(Duration tw, String extra) throws Exception {
        server = DiameterServer.start(DiameterConfig.builder("pdp.test", "pdp.test").listen("127.0.0.1", 0).allow(FD)
                .watchdogInterval(tw).requestTimeout(Duration.ofSeconds(3)).build(), new StubHandler(), metrics);
        fd = FreeDiameter.start(dir, FD, Ports.free(), "pdp.test", server.port(), extra);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (fd != null) {
            fd.close();
        }
    }

    /** Waits until both sides consider the connection open (freeDiameterd logs its state changes). */
    private void awaitOpen() throws Exception {
        assertThat(metrics.await("state fd.test R_OPEN", WAIT)).as("peer open; freeDiameterd log:%n%s", fd.log()).isTrue();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!fd.log().contains("-> 'STATE_OPEN'") && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        assertThat(fd.log()).contains("-> 'STATE_OPEN'");
    }

    @Test
    void relayOnlyFreeDiameterCompletesTheCapabilitiesExchange() throws Exception {
        start(Duration.ofSeconds(30), "");

        awaitOpen();
        assertThat(server.peers()).anySatisfy(p -> {
            assertThat(p.host()).isEqualTo(FD);
            assertThat(p.state()).isEqualTo(PeerState.R_OPEN);
        });
    }

    @Test
    void freeDiameterWithoutApplicationsGets5010() throws Exception {
        start(Duration.ofSeconds(30), "NoRelay;");

        assertThat(metrics.await("answered Capabilities-Exchange 5010", WAIT)).as("freeDiameterd log:%n%s", fd.log()).isTrue();
    }

    @Test
    void freeDiameterAnswersOurDwr() throws Exception {
        start(Duration.ofSeconds(1), "");
        awaitOpen();

        assertThat(metrics.await("received Device-Watchdog 2001", WAIT)).isTrue();
    }

    @Test
    void weAnswerTheDwrOfFreeDiameter() throws Exception {
        start(Duration.ofSeconds(30), "");
        awaitOpen();

        assertThat(metrics.await("answered Device-Watchdog 2001", Duration.ofSeconds(15))).isTrue();
    }

    @Test
    void freeDiameterShutdownSendsDprThatWeAnswer() throws Exception {
        start(Duration.ofSeconds(30), "");
        awaitOpen();

        fd.stop();

        assertThat(metrics.await("answered Disconnect-Peer 2001", WAIT)).isTrue();
        assertThat(server.peers()).noneMatch(p -> FD.equals(p.host()));
    }

    @Test
    void ourShutdownSendsDprThatFreeDiameterAnswers() throws Exception {
        start(Duration.ofSeconds(30), "");
        awaitOpen();

        server.close();
        server = null;

        assertThat(metrics.await("received Disconnect-Peer 2001", WAIT)).isTrue();
    }

    @Test
    void restartedFreeDiameterReconnects() throws Exception {
        start(Duration.ofSeconds(30), "");
        awaitOpen();
        fd.stop();
        assertThat(metrics.await("state fd.test CLOSED", WAIT)).isTrue();

        fd = FreeDiameter.start(dir, FD, Ports.free(), "pdp.test", server.port(), "");

        awaitOpen();
    }
}
