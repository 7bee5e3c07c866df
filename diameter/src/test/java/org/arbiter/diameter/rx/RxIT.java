package org.arbiter.diameter.rx;

import static org.arbiter.diameter.TestPeer.D;
import static org.arbiter.diameter.TestPeer.resultCode;
import static org.arbiter.diameter.TestPeer.text;
import static org.arbiter.diameter.TestPeer.u32;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.arbiter.core.engine.AuthorizationResult;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SpecificAction;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.DiameterServer;
import org.arbiter.diameter.RecordingMetrics;
import org.arbiter.diameter.StubHandler;
import org.arbiter.diameter.TestPeer;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.RxSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RxIT {

    private static final String HOST = "pcscf.rx.test";
    private StubHandler handler = new StubHandler();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private DiameterServer server;

    private TestPeer start(Function<RxRequest, AuthorizationResult> decide, int maxInFlight) throws Exception {
        handler = new StubHandler(decide);
        server = DiameterServer.start(DiameterConfig.builder("pdp.test", "pdp.test").listen("127.0.0.1", 0).allow(HOST)
                .maxInFlight(maxInFlight).requestTimeout(Duration.ofMillis(800)).build(), handler, metrics);
        return TestPeer.open(server.port(), HOST);
    }

    private TestPeer start() throws Exception {
        return start(r -> StubHandler.success(true), 64);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Avp subscribe(SpecificAction a) {
        return Avp.enumerated(D.avp("Specific-Action"), a.code());
    }

    @Test
    void kamailioAarGetsAaaWithSessionIdOriginAndApplicationAndNoAuthSessionState() throws Exception {
        try (TestPeer p = start()) {
            DiameterMessage aaa = p.exchange(RxSamples.kamailioAar());

            assertThat(resultCode(aaa)).isEqualTo(2001);
            assertThat(aaa.avps().getFirst().is(D.avp("Session-Id"))).isTrue();
            assertThat(text(aaa, "Session-Id")).isEqualTo(RxSamples.SESSION_ID);
            assertThat(text(aaa, "Origin-Host")).isEqualTo("pdp.test");
            assertThat(text(aaa, "Origin-Realm")).isEqualTo("pdp.test");
            assertThat(aaa.find(D.avp("Auth-Application-Id")).unsigned32()).isEqualTo(16777236);
            assertThat(aaa.find(D.avp("Auth-Session-State"))).isNull();
            assertThat(aaa.commandCode()).isEqualTo(265);
            assertThat(aaa.isProxiable()).isTrue();
            assertThat(handler.authorized.poll(1, TimeUnit.SECONDS).components()).hasSize(3);
        }
    }

    @Test
    void updateAarWithTheSameSessionIdIsAuthorizedAgain() throws Exception {
        try (TestPeer p = start()) {
            assertThat(resultCode(p.exchange(p.aar("pcscf.rx.test;5;1")))).isEqualTo(2001);
            assertThat(resultCode(p.exchange(p.aar("pcscf.rx.test;5;1")))).isEqualTo(2001);

            assertThat(handler.authorized).extracting(RxRequest::sessionId).containsExactly("pcscf.rx.test;5;1", "pcscf.rx.test;5;1");
        }
    }

    @Test
    void retransmittedAarIsPassedToTheHandlerAndAnsweredAlike() throws Exception {
        try (TestPeer p = start()) {
            DiameterMessage aar = p.aar("pcscf.rx.test;6;1");
            DiameterMessage first = p.exchange(aar);
            DiameterMessage again = p.exchange(aar.withFlags(aar.flags() | DiameterMessage.FLAG_RETRANSMIT));

            assertThat(again.endToEnd()).isEqualTo(first.endToEnd());
            assertThat(resultCode(again)).isEqualTo(resultCode(first)).isEqualTo(2001);
            assertThat(handler.authorized).hasSize(2);
        }
    }

    @Test
    void aarWithoutSessionIdGets5005() throws Exception {
        try (TestPeer p = start()) {
            DiameterMessage aaa = p.exchange(p.request(265, 16777236, List.of(text("Origin-Host", HOST), text("Origin-Realm", "rx.test"))));

            assertThat(resultCode(aaa)).isEqualTo(5005);
            assertThat(aaa.find(D.avp("Failed-AVP")).children().getFirst().code()).isEqualTo(263);
            assertThat(handler.authorized).isEmpty();
        }
    }

    @Test
    void aarWithUndefinedFlowStatusGets5004() throws Exception {
        try (TestPeer p = start()) {
            DiameterMessage aaa = p.exchange(p.aar("pcscf.rx.test;7;1", Avp.grouped(D.avp("Media-Component-Description"),
                    u32("Media-Component-Number", 1), Avp.enumerated(D.avp("Flow-Status"), 42))));

            assertThat(resultCode(aaa)).isEqualTo(5004);
            assertThat(text(aaa, "Session-Id")).isEqualTo("pcscf.rx.test;7;1");
        }
    }

    @Test
    void rejectionWithAcceptableServiceInfoGets5063AsExperimentalResult() throws Exception {
        FlowGrant less = new FlowGrant(new FlowKey(1, 1), "voice", 32000, 40000, null, 46, 1, 1, true);
        try (TestPeer p = start(r -> new AuthorizationResult(ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED, "too much", List.of(), null,
                List.of(), List.of(less), false), 64)) {
            DiameterMessage aaa = p.exchange(p.aar("pcscf.rx.test;8;1"));

            Avp er = aaa.find(D.avp("Experimental-Result"));
            assertThat(er.child(D.avp("Vendor-Id")).unsigned32()).isEqualTo(10415);
            assertThat(er.child(D.avp("Experimental-Result-Code")).unsigned32()).isEqualTo(5063);
            assertThat(aaa.find(D.avp("Result-Code"))).isNull();
            Avp mcd = aaa.find(D.avp("Acceptable-Service-Info")).child(D.avp("Media-Component-Description"));
            assertThat(mcd.child(D.avp("Max-Requested-Bandwidth-UL")).unsigned32()).isEqualTo(32000);
            assertThat(mcd.child(D.avp("Max-Requested-Bandwidth-DL")).unsigned32()).isEqualTo(40000);
            assertThat(text(aaa, "Error-Message")).isEqualTo("too much");
        }
    }

    @Test
    void noAccessBindingGets5065() throws Exception {
        try (TestPeer p = start(r -> StubHandler.failure(ResultCode.IP_CAN_SESSION_NOT_AVAILABLE, "no binding"), 64)) {
            assertThat(resultCode(p.exchange(p.aar("pcscf.rx.test;9;1")))).isEqualTo(5065);
        }
    }

    @Test
    void handlerFailureGets5012() throws Exception {
        try (TestPeer p = start(r -> {
            throw new IllegalStateException("ledger down");
        }, 64)) {
            DiameterMessage aaa = p.exchange(p.aar("pcscf.rx.test;10;1"));

            assertThat(resultCode(aaa)).isEqualTo(5012);
            assertThat(text(aaa, "Session-Id")).isEqualTo("pcscf.rx.test;10;1");
        }
    }

    @Test
    void handlerReturningNothingGets5012() throws Exception {
        try (TestPeer p = start(r -> null, 64)) {
            assertThat(resultCode(p.exchange(p.aar("pcscf.rx.test;11;1")))).isEqualTo(5012);
        }
    }

    @Test
    void requestsBeyondMaxInFlightGet3004() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        try (TestPeer p = start(r -> {
            entered.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StubHandler.success(true);
        }, 1)) {
            DiameterMessage blocked = p.aar("pcscf.rx.test;12;1");
            p.send(blocked);
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

            DiameterMessage busy = p.exchange(p.aar("pcscf.rx.test;12;2"));
            release.countDown();

            assertThat(resultCode(busy)).isEqualTo(3004);
            assertThat(busy.isError()).isTrue();
            assertThat(busy.find(D.avp("Auth-Application-Id")).unsigned32()).isEqualTo(16777236);
            assertThat(text(busy, "Session-Id")).isEqualTo("pcscf.rx.test;12;2");
            assertThat(resultCode(p.receiveSkippingWatchdog())).isEqualTo(2001);
        }
    }

    @Test
    void strForAnUnknownSessionGets5002() throws Exception {
        try (TestPeer p = start()) {
            DiameterMessage sta = p.exchange(p.str("pcscf.rx.test;unknown;1", 1));

            assertThat(resultCode(sta)).isEqualTo(5002);
            assertThat(text(sta, "Session-Id")).isEqualTo("pcscf.rx.test;unknown;1");
        }
    }

    @Test
    void strReleasesTheSessionWithItsTerminationCause() throws Exception {
        try (TestPeer p = start()) {
            p.exchange(p.aar("pcscf.rx.test;13;1"));
            DiameterMessage sta = p.exchange(p.str("pcscf.rx.test;13;1", 1));

            assertThat(resultCode(sta)).isEqualTo(2001);
            assertThat(handler.released.poll(1, TimeUnit.SECONDS))
                    .isEqualTo(new StubHandler.Release("pcscf.rx.test;13;1", TerminationCause.DIAMETER_LOGOUT));
        }
    }

    @Test
    void strWithoutTerminationCauseGets5005() throws Exception {
        try (TestPeer p = start()) {
            DiameterMessage sta = p.exchange(p.request(275, 16777236, List.of(text("Session-Id", "s;1"), text("Origin-Host", HOST),
                    text("Origin-Realm", "rx.test"))));

            assertThat(resultCode(sta)).isEqualTo(5005);
            assertThat(sta.find(D.avp("Failed-AVP")).children().getFirst().code()).isEqualTo(295);
        }
    }

    @Test
    void unsupportedRxCommandGets3001() throws Exception {
        try (TestPeer p = start()) {
            DiameterMessage a = p.exchange(p.request(258, 16777236, List.of(text("Session-Id", "s;1"), text("Origin-Host", HOST),
                    text("Origin-Realm", "rx.test"))));

            assertThat(resultCode(a)).isEqualTo(3001);
            assertThat(a.isError()).isTrue();
        }
    }

    @Test
    void subscribedSuccessfulAllocationIsReportedByRarAfterTheAaa() throws Exception {
        try (TestPeer p = start()) {
            DiameterMessage aar = p.aar("pcscf.rx.test;14;1", subscribe(SpecificAction.INDICATION_OF_SUCCESSFUL_RESOURCES_ALLOCATION));
            p.send(aar);

            DiameterMessage aaa = p.receiveSkippingWatchdog();
            DiameterMessage rar = p.receiveSkippingWatchdog();
            assertThat(aaa.hopByHop()).isEqualTo(aar.hopByHop());
            assertThat(rar.commandCode()).isEqualTo(258);
            assertThat(rar.isRequest()).isTrue();
            assertThat(text(rar, "Session-Id")).isEqualTo("pcscf.rx.test;14;1");
            assertThat(text(rar, "Destination-Host")).isEqualTo(HOST);
            assertThat(text(rar, "Destination-Realm")).isEqualTo("rx.test");
            assertThat(rar.find(D.avp("Specific-Action")).enumerated()).isEqualTo(8);
            p.send(p.answer(rar, 2001));
            assertThat(metrics.await("received Re-Auth 2001", Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void unprovisionedSuccessIsReportedAsFailedAllocationWhenSubscribed() throws Exception {
        try (TestPeer p = start(r -> StubHandler.success(false), 64)) {
            p.send(p.aar("pcscf.rx.test;15;1", subscribe(SpecificAction.INDICATION_OF_FAILED_RESOURCES_ALLOCATION)));

            p.receiveSkippingWatchdog();
            assertThat(p.receiveSkippingWatchdog().find(D.avp("Specific-Action")).enumerated()).isEqualTo(9);
        }
    }

    @Test
    void noRarWithoutSubscription() throws Exception {
        try (TestPeer p = start()) {
            p.exchange(p.aar("pcscf.rx.test;16;1"));
            p.timeout(500);

            assertThat(p.closedByServer()).isFalse();
            assertThat(metrics.events).noneMatch(e -> e.contains("Re-Auth"));
        }
    }

    @Test
    void unansweredRarsTimeOutAndBreakNothing() throws Exception {
        try (TestPeer p = start(r -> StubHandler.success(true), 2)) {
            for (int i = 0; i < 4; i++) {
                server.notifier().notify("pcscf.rx.test;17;" + i, HOST, SpecificAction.INDICATION_OF_LOSS_OF_BEARER);
            }
            assertThat(metrics.events).contains("notsent Re-Auth");
            assertThat(metrics.await("timeout Re-Auth", Duration.ofSeconds(5))).isTrue();

            assertThat(resultCode(p.exchange(p.aar("pcscf.rx.test;17;9")))).isEqualTo(2001);
        }
    }

    @Test
    void abortSendsAsrAndKamailiosStrAfterwardsIsAccepted() throws Exception {
        try (TestPeer p = start()) {
            p.exchange(p.aar("pcscf.rx.test;18;1"));
            server.notifier().abort("pcscf.rx.test;18;1", HOST, "device lost the reservation");

            DiameterMessage asr = p.receiveSkippingWatchdog();
            assertThat(asr.commandCode()).isEqualTo(274);
            assertThat(text(asr, "Origin-Host")).isEqualTo("pdp.test");
            assertThat(asr.find(D.avp("Abort-Cause"))).isNotNull();
            DiameterMessage asa = p.answer(asr, 2001);
            p.send(new DiameterMessage(asa.flags(), asa.commandCode(), 0, asa.hopByHop(), asa.endToEnd(), asa.avps()));
            assertThat(metrics.await("received Abort-Session 2001", Duration.ofSeconds(5))).isTrue();

            DiameterMessage sta = p.exchange(RxSamples.kamailioStrAfterAsr("pcscf.rx.test;18;1"));
            assertThat(resultCode(sta)).isEqualTo(2001);
            assertThat(handler.released.poll(1, TimeUnit.SECONDS).cause()).isEqualTo(TerminationCause.DIAMETER_ADMINISTRATIVE);
        }
    }

    @Test
    void asaForAnUnknownSessionReleasesItAsAborted() throws Exception {
        try (TestPeer p = start()) {
            server.notifier().abort("pcscf.rx.test;19;1", HOST, "gone");
            DiameterMessage asr = p.receiveSkippingWatchdog();
            p.send(p.answer(asr, 5002));

            assertThat(handler.released.poll(5, TimeUnit.SECONDS)).isEqualTo(new StubHandler.Release("pcscf.rx.test;19;1", TerminationCause.ABORTED));
        }
    }
}
