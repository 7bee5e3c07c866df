package org.arbiter.bench.rx;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jdiameter.api.Answer;
import org.jdiameter.api.ApplicationId;
import org.jdiameter.api.Avp;
import org.jdiameter.api.AvpSet;
import org.jdiameter.api.Network;
import org.jdiameter.api.NetworkReqListener;
import org.jdiameter.api.Request;
import org.jdiameter.server.impl.StackImpl;
import org.jdiameter.server.impl.helpers.XMLConfiguration;

/**
 * The jdiameter baseline: jdiameter 2.1.0's server stack as a stateless Rx echo server, the mode
 * in which it works at rate. It answers every AAR and STR with 2001, adding Origin-Host and
 * Origin-Realm itself (jdiameter's answers lack them), with dictionary validation and duplicate
 * protection off. The listener is registered under the Rx application with vendor 10415 and with
 * vendor 0, or jdiameter answers Kamailio-shaped AARs (plain Auth-Application-Id) with 3007.
 *
 * <p>jdiameter is AGPL-3.0 and stays in test scope: {@link RxBench} starts this class in a JVM of
 * its own with the module's test class path ({@code target/bench-test-classpath.txt}). It speaks
 * {@link BenchTarget}'s protocol: {@code java ... JdiameterEchoServer <port>} prints
 * {@code READY <port>} when started and stops on {@code stop} or the end of its input. jdiameter
 * sometimes starts without accepting connections (and a taken port gives no error): the caller
 * checks CER/CEA after READY and starts it again when that fails.
 */
public final class JdiameterEchoServer {

    private static final long VENDOR_3GPP = 10415;
    private static final long RX = 16777236;
    private static final String HOST = "127.0.0.1";
    private static final String REALM = "pdp.test";

    private JdiameterEchoServer() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String xml = """
                <?xml version="1.0"?>
                <Configuration xmlns="http://www.jdiameter.org/jdiameter-server">
                  <LocalPeer>
                    <URI value="aaa://%s:%d"/>
                    <IPAddresses><IPAddress value="%s"/></IPAddresses>
                    <Realm value="%s"/>
                    <VendorID value="10415"/>
                    <ProductName value="jDiameter"/>
                    <FirmwareRevision value="1"/>
                    <Applications>
                      <ApplicationID><VendorId value="10415"/><AuthApplId value="16777236"/><AcctApplId value="0"/></ApplicationID>
                      <ApplicationID><VendorId value="0"/><AuthApplId value="16777236"/><AcctApplId value="0"/></ApplicationID>
                    </Applications>
                  </LocalPeer>
                  <Parameters>
                    <AcceptUndefinedPeer value="true"/>
                    <DuplicateProtection value="false"/>
                    <DuplicateTimer value="240000"/>
                    <UseUriAsFqdn value="false"/>
                    <QueueSize value="10000"/>
                    <MessageTimeOut value="60000"/>
                    <StopTimeOut value="10000"/>
                    <CeaTimeOut value="10000"/>
                    <IacTimeOut value="30000"/>
                    <DwaTimeOut value="10000"/>
                    <DpaTimeOut value="5000"/>
                    <RecTimeOut value="10000"/>
                    <Dictionary enabled="false" sendLevel="OFF" receiveLevel="OFF"/>
                  </Parameters>
                  <Network>
                    <Peers>
                      <Peer name="aaa://%s:3868" attempt_connect="false" rating="1"/>
                    </Peers>
                    <Realms>
                      <Realm name="rx.test" peers="%s" local_action="LOCAL" dynamic="false" exp_time="1">
                        <ApplicationID><VendorId value="10415"/><AuthApplId value="16777236"/><AcctApplId value="0"/></ApplicationID>
                      </Realm>
                    </Realms>
                  </Network>
                  <Extensions/>
                </Configuration>
                """.formatted(HOST, port, HOST, REALM, RxTraffic.originHost(0), RxTraffic.originHost(0));
        StackImpl stack = new StackImpl();
        stack.init(new XMLConfiguration(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
        NetworkReqListener echo = JdiameterEchoServer::answer;
        Network network = stack.unwrap(Network.class);
        network.addNetworkReqListener(echo, ApplicationId.createByAuthAppId(VENDOR_3GPP, RX));
        network.addNetworkReqListener(echo, ApplicationId.createByAuthAppId(0, RX));
        stack.start();
        System.out.println("READY " + port);
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.equals("stop")) {
                if (line.equals("heap")) {
                    System.gc();
                    MemoryUsage h = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                    System.out.println("HEAP " + h.getUsed() + " " + h.getCommitted() + " " + h.getMax());
                    System.out.flush();
                }
            }
        }
        stack.stop(2, TimeUnit.SECONDS, 0);
        stack.destroy();
        System.exit(0);
    }

    private static Answer answer(Request request) {
        Answer a = request.createAnswer(2001);
        AvpSet avps = a.getAvps();
        avps.addAvp(Avp.ORIGIN_HOST, HOST, true, false, true);
        avps.addAvp(Avp.ORIGIN_REALM, REALM, true, false, true);
        return a;
    }
}
