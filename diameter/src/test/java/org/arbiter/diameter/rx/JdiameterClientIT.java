package org.arbiter.diameter.rx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.RxRequest;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.DiameterServer;
import org.arbiter.diameter.StubHandler;
import org.jdiameter.api.ApplicationId;
import org.jdiameter.api.AvpSet;
import org.jdiameter.api.Message;
import org.jdiameter.api.Mode;
import org.jdiameter.api.PeerState;
import org.jdiameter.api.Request;
import org.jdiameter.api.Session;
import org.jdiameter.api.SessionFactory;
import org.jdiameter.client.impl.StackImpl;
import org.jdiameter.client.impl.helpers.XMLConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RestComm jdiameter's client stack ({@code io.quarkiverse.jdiameter} 2.1.0, test scope only) as a
 * third-party Rx client: its own CER, Session-Ids and encoding, against our server.
 */
class JdiameterClientIT {

    private static final long VENDOR_3GPP = 10415;
    private static final ApplicationId RX = ApplicationId.createByAuthAppId(VENDOR_3GPP, 16777236);

    private final StubHandler handler = new StubHandler();
    private DiameterServer server;
    private StackImpl stack;
    private SessionFactory sessions;

    @BeforeEach
    void start() throws Exception {
        server = DiameterServer.start(DiameterConfig.builder("pdp.test", "pdp.test").listen("127.0.0.1", 0).allow("jd.rx.test")
                .requestTimeout(Duration.ofSeconds(3)).build(), handler);
        String xml = """
                <?xml version="1.0"?>
                <Configuration xmlns="http://www.jdiameter.org/jdiameter-client">
                  <LocalPeer>
                    <URI value="aaa://jd.rx.test:1812"/>
                    <IPAddress value="127.0.0.1"/>
                    <Realm value="rx.test"/>
                    <VendorID value="10415"/>
                    <ProductName value="jDiameter"/>
                    <FirmwareRevision value="1"/>
                    <Applications>
                      <ApplicationID><VendorId value="10415"/><AuthApplId value="16777236"/><AcctApplId value="0"/></ApplicationID>
                    </Applications>
                  </LocalPeer>
                  <Parameters>
                    <UseUriAsFqdn value="false"/>
                    <QueueSize value="1000"/>
                    <MessageTimeOut value="5000"/>
                    <StopTimeOut value="2000"/>
                    <CeaTimeOut value="5000"/>
                    <IacTimeOut value="30000"/>
                    <DwaTimeOut value="5000"/>
                    <DpaTimeOut value="2000"/>
                    <RecTimeOut value="5000"/>
                  </Parameters>
                  <Network>
                    <Peers>
                      <Peer name="aaa://pdp.test:%d" ip="127.0.0.1" rating="1"/>
                    </Peers>
                    <Realms>
                      <Realm name="pdp.test" peers="pdp.test" local_action="LOCAL" dynamic="false" exp_time="1">
                        <ApplicationID><VendorId value="10415"/><AuthApplId value="16777236"/><AcctApplId value="0"/></ApplicationID>
                      </Realm>
                    </Realms>
                  </Network>
                  <Extensions/>
                </Configuration>
                """.formatted(server.port());
        stack = new StackImpl();
        sessions = stack.init(new XMLConfiguration(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
        stack.start(Mode.ANY_PEER, 10, TimeUnit.SECONDS);
        org.jdiameter.api.PeerTable peers = stack.unwrap(org.jdiameter.api.PeerTable.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (peers.getPeerTable().stream().noneMatch(p -> p.getState(PeerState.class) == PeerState.OKAY) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        assertThat(peers.getPeerTable()).as("jdiameter connected to us").anyMatch(p -> p.getState(PeerState.class) == PeerState.OKAY);
    }

    @AfterEach
    void stop() throws Exception {
        if (stack != null) {
            stack.stop(2, TimeUnit.SECONDS, 0);
            stack.destroy();
        }
        server.close();
    }

    private static void mediaComponent(AvpSet aar, int number, int mediaType, int port, long ul, long dl) {
        AvpSet mcd = aar.addGroupedAvp(517, VENDOR_3GPP, true, false);
        mcd.addAvp(518, number, VENDOR_3GPP, true, false, true);
        AvpSet msc = mcd.addGroupedAvp(519, VENDOR_3GPP, true, false);
        msc.addAvp(509, number, VENDOR_3GPP, true, false, true);
        msc.addAvp(507, "permit out 17 from 127.0.0.2 " + (port + 10000) + " to 127.0.0.1 " + port, VENDOR_3GPP, true, false, true);
        msc.addAvp(507, "permit in 17 from 127.0.0.1 " + port + " to 127.0.0.2 " + (port + 10000), VENDOR_3GPP, true, false, true);
        mcd.addAvp(520, mediaType, VENDOR_3GPP, true, false);
        mcd.addAvp(516, ul, VENDOR_3GPP, true, false, true);
        mcd.addAvp(515, dl, VENDOR_3GPP, true, false, true);
        mcd.addAvp(524, "uplink\noffer\nm=audio " + port + " RTP/AVP 0\r\n\0", VENDOR_3GPP, true, false, true);
        mcd.addAvp(511, 2, VENDOR_3GPP, true, false);
    }

    private long send(Session s, Request r) throws Exception {
        Future<Message> f = s.send(r, 5, TimeUnit.SECONDS);
        Message answer = f.get(6, TimeUnit.SECONDS);
        return answer.getAvps().getAvp(268).getUnsigned32();
    }

    @Test
    void aarAndStrPairsWithTwoMediaComponentsAreAnswered2001() throws Exception {
        for (int i = 0; i < 10; i++) {
            Session s = sessions.getNewSession();
            Request aar = s.createRequest(265, RX, "pdp.test");
            aar.getAvps().addAvp(1, "sip:alice" + i + "@rx.test", true, false, false);
            aar.getAvps().addAvp(8, new byte[] {127, 0, 0, 1}, true, false);
            mediaComponent(aar.getAvps(), 1, 0, 16000, 64000, 80000);
            mediaComponent(aar.getAvps(), 2, 1, 16002, 512000, 1024000);
            assertThat(send(s, aar)).isEqualTo(2001);

            Request str = s.createRequest(275, RX, "pdp.test");
            str.getAvps().addAvp(295, 1, true, false);
            assertThat(send(s, str)).isEqualTo(2001);
        }

        RxRequest first = handler.authorized.poll(1, TimeUnit.SECONDS);
        assertThat(first.originHost()).isEqualTo("jd.rx.test");
        assertThat(first.framedIpAddress()).isEqualTo("127.0.0.1");
        assertThat(first.components()).extracting(MediaComponent::mediaType).containsExactly(MediaType.AUDIO, MediaType.VIDEO);
        assertThat(first.components().get(1).maxRequestedBandwidthDl()).isEqualTo(1024000);
        assertThat(handler.released).hasSize(10);
    }

    @Test
    void strForAnUnknownSessionIsAnswered5002() throws Exception {
        Session s = sessions.getNewSession();
        Request str = s.createRequest(275, RX, "pdp.test");
        str.getAvps().addAvp(295, 1, true, false);

        assertThat(send(s, str)).isEqualTo(5002);
    }
}
