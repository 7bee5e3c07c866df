package org.arbiter.diameter.peer;

import static org.arbiter.diameter.TestPeer.D;
import static org.arbiter.diameter.TestPeer.resultCode;
import static org.arbiter.diameter.TestPeer.text;
import static org.arbiter.diameter.TestPeer.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.DiameterServer;
import org.arbiter.diameter.RecordingMetrics;
import org.arbiter.diameter.StubHandler;
import org.arbiter.diameter.TestPeer;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.DiameterMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeerIT {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private final StubHandler handler = new StubHandler();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private DiameterServer server;

    private DiameterServer start(DiameterConfig.Builder b) {
        server = DiameterServer.start(b.build(), handler, metrics);
        return server;
    }

    private static DiameterConfig.Builder config() {
        return DiameterConfig.builder("pdp.test", "pdp.test").listen("127.0.0.1", 0)
                .allow("pcscf.rx.test").allow("other.rx.test").requestTimeout(Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static List<Avp> rxPlain() {
        return List.of(u32("Auth-Application-Id", 16777236), u32("Supported-Vendor-Id", 10415));
    }

    @Test
    void ceaAdvertisesRxAsVendorSpecificAndAsPlainApplication() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.connect(server.port(), "pcscf.rx.test")) {
            DiameterMessage cea = p.exchange(p.cer(rxPlain()));

            assertThat(resultCode(cea)).isEqualTo(2001);
            assertThat(text(cea, "Origin-Host")).isEqualTo("pdp.test");
            assertThat(TestPeer.all(cea, "Auth-Application-Id")).extracting(Avp::unsigned32).containsExactly(16777236L);
            assertThat(TestPeer.all(cea, "Supported-Vendor-Id")).extracting(Avp::unsigned32).containsExactly(10415L);
            Avp vsai = cea.find(D.avp("Vendor-Specific-Application-Id"));
            assertThat(vsai.child(D.avp("Vendor-Id")).unsigned32()).isEqualTo(10415);
            assertThat(vsai.child(D.avp("Auth-Application-Id")).unsigned32()).isEqualTo(16777236);
            assertThat(cea.find(D.avp("Host-IP-Address")).address().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(cea.find(D.avp("Origin-State-Id"))).isNotNull();
        }
    }

    @Test
    void peerIsListedOpenAfterTheCapabilitiesExchange() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
            assertThat(p.host()).isEqualTo("pcscf.rx.test");
            assertThat(server.peers()).singleElement().satisfies(s -> {
                assertThat(s.host()).isEqualTo("pcscf.rx.test");
                assertThat(s.state()).isEqualTo(PeerState.R_OPEN);
                assertThat(s.inbound()).isTrue();
            });
        }
    }

    @Test
    void unknownPeerGets3010AndIsClosed() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.connect(server.port(), "stranger.example")) {
            DiameterMessage cea = p.exchange(p.cer(rxPlain()));

            assertThat(resultCode(cea)).isEqualTo(3010);
            assertThat(p.closedByServer()).isTrue();
        }
    }

    @Test
    void allowedHostFromAnotherAddressGets3010() throws Exception {
        start(DiameterConfig.builder("pdp.test", "pdp.test").listen("127.0.0.1", 0).allow("pcscf.rx.test", "127.0.0.9"));
        try (TestPeer p = TestPeer.connect(server.port(), "pcscf.rx.test")) {
            assertThat(resultCode(p.exchange(p.cer(rxPlain())))).isEqualTo(3010);
        }
    }

    @Test
    void peerWithoutRxOrRelayGets5010() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.connect(server.port(), "pcscf.rx.test")) {
            DiameterMessage cea = p.exchange(p.cer(List.of(u32("Auth-Application-Id", 4))));

            assertThat(resultCode(cea)).isEqualTo(5010);
            assertThat(p.closedByServer()).isTrue();
        }
    }

    @Test
    void relayOnlyPeerIsAccepted() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.connect(server.port(), "pcscf.rx.test")) {
            assertThat(resultCode(p.exchange(p.cer(List.of(u32("Auth-Application-Id", 0xFFFFFFFFL)))))).isEqualTo(2001);
        }
    }

    @Test
    void requestBeforeCerClosesTheConnection() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.connect(server.port(), "pcscf.rx.test")) {
            p.send(p.aar("pcscf.rx.test;1;1"));

            assertThat(p.closedByServer()).isTrue();
            assertThat(handler.authorized).isEmpty();
        }
    }

    @Test
    void silentConnectionIsClosedWhenNoCerArrives() throws Exception {
        start(config().requestTimeout(Duration.ofMillis(500)));
        try (TestPeer p = TestPeer.connect(server.port(), "pcscf.rx.test")) {
            assertThat(p.closedByServer()).isTrue();
        }
    }

    @Test
    void dwrGetsDwaWithOurOriginStateId() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
            DiameterMessage dwa = p.exchange(p.request(280, 0, List.of(text("Origin-Host", "pcscf.rx.test"), text("Origin-Realm", "rx.test"))));

            assertThat(resultCode(dwa)).isEqualTo(2001);
            assertThat(dwa.find(D.avp("Origin-State-Id"))).isNotNull();
        }
    }

    @Test
    void idleConnectionGetsDwrAfterTw() throws Exception {
        start(config().watchdogInterval(Duration.ofSeconds(1)));
        try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
            DiameterMessage dwr = p.receive();

            assertThat(dwr.isRequest()).isTrue();
            assertThat(dwr.commandCode()).isEqualTo(280);
            p.send(p.answer(dwr, 2001));
            assertThat(metrics.await("received Device-Watchdog 2001", WAIT)).isTrue();
        }
    }

    @Test
    void trafficMoreOftenThanTwKeepsTheWatchdogQuiet() throws Exception {
        start(config().watchdogInterval(Duration.ofSeconds(2)));
        try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
            p.timeout(300);
            for (int i = 0; i < 10; i++) {
                DiameterMessage dwr = p.request(280, 0, List.of(text("Origin-Host", "pcscf.rx.test"), text("Origin-Realm", "rx.test")));
                p.send(dwr);
                DiameterMessage dwa = p.receive();
                assertThat(dwa.isRequest()).as("the server sent a DWR within Tw of our last message").isFalse();
                assertThat(dwa.hopByHop()).isEqualTo(dwr.hopByHop());
                assertThatThrownBy(p::receive).as("the server sent a DWR within Tw of our last message")
                        .isInstanceOf(SocketTimeoutException.class);
            }
        }
    }

    @Test
    void peerThatNeverAnswersDwrBecomesSuspectThenIsClosed() throws Exception {
        start(config().watchdogInterval(Duration.ofSeconds(1)));
        try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
            p.timeout(8000);

            assertThat(metrics.await("state pcscf.rx.test SUSPECT", WAIT)).isTrue();
            assertThat(p.closedByServer()).isTrue();
        }
    }

    @Test
    void dprGetsDpaAndTheConnectionCloses() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
            DiameterMessage dpa = p.exchange(p.request(282, 0, List.of(text("Origin-Host", "pcscf.rx.test"), text("Origin-Realm", "rx.test"),
                    Avp.enumerated(D.avp("Disconnect-Cause"), 0))));

            assertThat(resultCode(dpa)).isEqualTo(2001);
            assertThat(p.closedByServer()).isTrue();
        }
    }

    @Test
    void closeSendsDprWithRebootingAndWaitsForTheDpa() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
            Thread closer = Thread.ofVirtual().start(server::close);
            DiameterMessage dpr = p.receiveSkippingWatchdog();
            assertThat(dpr.commandCode()).isEqualTo(282);
            assertThat(dpr.find(D.avp("Disconnect-Cause")).enumerated()).isZero();
            p.send(p.answer(dpr, 2001));

            assertThat(closer.join(WAIT)).isTrue();
            assertThat(metrics.await("received Disconnect-Peer 2001", WAIT)).isTrue();
            server = null;
        }
    }

    @Test
    void unknownBaseCommandGets3001() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
            DiameterMessage a = p.exchange(p.request(999, 0, List.of(text("Origin-Host", "pcscf.rx.test"), text("Origin-Realm", "rx.test"))));

            assertThat(resultCode(a)).isEqualTo(3001);
            assertThat(a.isError()).isTrue();
        }
    }

    @Test
    void unknownApplicationGets3007() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
            DiameterMessage a = p.exchange(p.request(272, 4, List.of(text("Session-Id", "s;1"), text("Origin-Host", "pcscf.rx.test"))));

            assertThat(resultCode(a)).isEqualTo(3007);
            assertThat(text(a, "Session-Id")).isEqualTo("s;1");
        }
    }

    @Test
    void malformedRequestIsAnsweredAndTheConnectionGoesOn() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
            DiameterMessage aar = p.aar("pcscf.rx.test;9;9", new Avp(777, Avp.FLAG_MANDATORY, 0, new byte[] {1, 2, 3, 4}));
            DiameterMessage a = p.exchange(aar);

            assertThat(resultCode(a)).isEqualTo(5001);
            assertThat(text(a, "Session-Id")).isEqualTo("pcscf.rx.test;9;9");
            assertThat(a.find(D.avp("Auth-Application-Id")).unsigned32()).isEqualTo(16777236);
            assertThat(a.find(D.avp("Failed-AVP")).children().getFirst().code()).isEqualTo(777);
            assertThat(resultCode(p.exchange(p.request(280, 0, List.of(text("Origin-Host", "pcscf.rx.test"), text("Origin-Realm", "rx.test"))))))
                    .isEqualTo(2001);
        }
    }

    @Test
    void lostFramingIsAnsweredThenClosed() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
            byte[] bad = {2, 0, 0, 20, (byte) 0x80, 0, 1, 9, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 6};
            p.sendRaw(bad);

            DiameterMessage a = p.receive();
            assertThat(resultCode(a)).isEqualTo(5011);
            assertThat(a.hopByHop()).isEqualTo(5);
            assertThat(p.closedByServer()).isTrue();
        }
    }

    @Test
    void newOriginStateIdReportsAPeerRestart() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.connect(server.port(), "pcscf.rx.test")) {
            assertThat(resultCode(p.exchange(p.cer(List.of(u32("Auth-Application-Id", 16777236), u32("Origin-State-Id", 1)))))).isEqualTo(2001);
        }
        try (TestPeer p = TestPeer.connect(server.port(), "pcscf.rx.test")) {
            assertThat(resultCode(p.exchange(p.cer(List.of(u32("Auth-Application-Id", 16777236), u32("Origin-State-Id", 2)))))).isEqualTo(2001);

            assertThat(handler.restarted.poll(5, TimeUnit.SECONDS)).isEqualTo("pcscf.rx.test");
        }
    }

    @Test
    void secondConnectionFromAnOpenPeerReplacesTheFirst() throws Exception {
        start(config());
        try (TestPeer first = TestPeer.open(server.port(), "pcscf.rx.test");
                TestPeer second = TestPeer.open(server.port(), "pcscf.rx.test")) {
            assertThat(first.closedByServer()).isTrue();
            assertThat(resultCode(second.exchange(second.aar("pcscf.rx.test;1;2")))).isEqualTo(2001);
        }
    }

    @Test
    void configuredPeerIsConnectedAndReconnectedAfterItCloses() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(10_000);
            start(config().watchdogInterval(Duration.ofSeconds(30))
                    .connect(new DiameterConfig.ConnectPeer("pcscf.rx.test", "127.0.0.1", listener.getLocalPort(), false)));
            for (int round = 0; round < 2; round++) {
                try (Socket s = listener.accept(); TestPeer p = TestPeer.wrap(s, "pcscf.rx.test")) {
                    DiameterMessage cer = p.receive();
                    assertThat(cer.commandCode()).isEqualTo(257);
                    assertThat(text(cer, "Origin-Host")).isEqualTo("pdp.test");
                    p.send(p.answer(cer, 2001, u32("Auth-Application-Id", 16777236)));
                    assertThat(metrics.await("state pcscf.rx.test I_OPEN", WAIT)).isTrue();
                }
            }
        }
    }

    @Test
    void requestsToAConfiguredPeerUseItsInboundConnection() throws Exception {
        start(config().connect(new DiameterConfig.ConnectPeer("pcscf.rx.test", "127.0.0.1", 9, false)));
        try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
            server.notifier().notify("pcscf.rx.test;1;1", "pcscf.rx.test", org.arbiter.core.session.SpecificAction.INDICATION_OF_LOSS_OF_BEARER);

            DiameterMessage rar = p.receiveSkippingWatchdog();
            assertThat(rar.commandCode()).isEqualTo(258);
        }
    }

    /**
     * Both sides connect at once: our CER waits on our connection to the peer while the peer's CER
     * arrives on its connection to us. The connection initiated by the higher Origin-Host survives.
     */
    private void simultaneousOpen(String peerHost, boolean ourConnectionSurvives) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(10_000);
            start(config().allow(peerHost).connect(new DiameterConfig.ConnectPeer(peerHost, "127.0.0.1", listener.getLocalPort(), false)));
            try (Socket s = listener.accept(); TestPeer ours = TestPeer.wrap(s, peerHost);
                    TestPeer theirs = TestPeer.connect(server.port(), peerHost)) {
                DiameterMessage cer = ours.receive();
                assertThat(resultCode(theirs.exchange(theirs.cer(rxPlain())))).isEqualTo(2001);

                ours.send(ours.answer(cer, 2001, u32("Auth-Application-Id", 16777236)));

                assertThat(ours.closedByServer()).isEqualTo(!ourConnectionSurvives);
                assertThat(theirs.closedByServer()).isEqualTo(ourConnectionSurvives);
                assertThat(server.peers()).filteredOn(p -> p.state() != PeerState.CLOSED).singleElement()
                        .extracting(PeerSnapshot::state).isEqualTo(ourConnectionSurvives ? PeerState.I_OPEN : PeerState.R_OPEN);
            }
        }
    }

    @Test
    void electionWonKeepsOurConnection() throws Exception {
        simultaneousOpen("other.rx.test", true);
    }

    @Test
    void electionLostKeepsThePeersConnection() throws Exception {
        simultaneousOpen("zz.rx.test", false);
    }

    @Test
    void takenPortFailsTheStartNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(config().listen("127.0.0.1", taken.getLocalPort())))
                    .isInstanceOf(org.arbiter.diameter.DiameterException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(ioThreadsAfterClose()).isZero();
    }

    @Test
    void closeStopsEveryIoThread() throws Exception {
        start(config());
        try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
            assertThat(resultCode(p.exchange(p.aar("pcscf.rx.test;close;1")))).isEqualTo(2001);
        }
        server.close();
        server = null;

        assertThat(ioThreadsAfterClose()).isZero();
    }

    /** Live I/O threads, polled until none is left or 5 s have passed. */
    private static long ioThreadsAfterClose() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long n;
        while ((n = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(PeerTable.IO_THREAD_PREFIX)).count()) > 0
                && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
        return n;
    }
}
