package org.arbiter.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-to-end set-up of one test: Arbiter under test, a Kamailio P-CSCF wired to it, and the
 * SIPp caller and callee it starts, each with its own ports and files under the test's directory.
 *
 * <pre>
 *   SIPp caller (127.0.0.1:p1) --SIP--> Kamailio (127.0.0.1:p2) --SIP--> SIPp callee (127.0.0.1:p3)
 *                                          |
 *                                          +--Diameter Rx (cdp connects)--> Arbiter (127.0.0.1:p4)
 * </pre>
 *
 * {@link #start} returns once Kamailio's Diameter connection to Arbiter is open: before that, the
 * P-CSCF would let calls through without asking for QoS. {@link #close} stops the SIPp runs still
 * going, then Kamailio (after its transactions drained), then Arbiter.
 *
 * <p>Not thread-safe; one test drives it.
 */
final class CallLab implements AutoCloseable {

    /** cdp's Tc: a lost Diameter connection is retried after this many seconds. */
    static final int TC_SECONDS = 2;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final FreePorts ports;
    private final ArbiterUnderTest arbiter;
    private final KamailioProcess kamailio;
    private final int calleePort;
    private final List<SippProcess> runs = new ArrayList<>();

    private CallLab(Path dir, FreePorts ports, ArbiterUnderTest arbiter, KamailioProcess kamailio, int calleePort) {
        this.dir = dir;
        this.ports = ports;
        this.arbiter = arbiter;
        this.kamailio = kamailio;
        this.calleePort = calleePort;
    }

    /**
     * Starts Kamailio in {@code dir/kamailio}, wired to {@code arbiter} (the AAR is for the caller,
     * "orig"), and waits for its Diameter connection. Closes {@code arbiter} when that fails.
     */
    static CallLab start(Path dir, ArbiterUnderTest arbiter) {
        FreePorts ports = new FreePorts();
        int calleePort = ports.udp();
        KamailioProcess kamailio = null;
        try {
            kamailio = KamailioProcess.start(Files.createDirectories(dir.resolve("kamailio")), ports.udp(),
                    new KamailioProcess.Wiring(calleePort, ArbiterUnderTest.ORIGIN_HOST, arbiter.diameterPort(),
                            ArbiterUnderTest.REALM, "orig", TC_SECONDS));
            CallLab lab = new CallLab(dir, ports, arbiter, kamailio, calleePort);
            lab.awaitRxConnection();
            return lab;
        } catch (IOException e) {
            closeQuietly(kamailio, arbiter);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | AssertionError e) {
            closeQuietly(kamailio, arbiter);
            throw e;
        }
    }

    ArbiterUnderTest arbiter() {
        return arbiter;
    }

    KamailioProcess kamailio() {
        return kamailio;
    }

    /** Waits until Kamailio's cdp has an open connection to Arbiter (seen from both ends). */
    void awaitRxConnection() {
        arbiter.awaitPeerOpen(KamailioProcess.ORIGIN_HOST, CONNECT_TIMEOUT);
        Poll.until(CONNECT_TIMEOUT, "Kamailio's cdp to report its connection to Arbiter open",
                () -> kamailio.rxPeerState(ArbiterUnderTest.ORIGIN_HOST).equals("I_Open"),
                () -> kamailio.rxPeerState(ArbiterUnderTest.ORIGIN_HOST));
    }

    /**
     * Starts the callee (the P-CSCF forwards every INVITE to it).
     *
     * @param scenario {@code uas-answer.xml} or {@code uas-early.xml}
     * @param calls calls after which it exits
     * @param gameBandwidthKbps the b=AS of its answer's game flow
     * @param gameLatencyMs the a=qos-latency of its answer's game flow
     * @param bound how long the whole run may take
     */
    SippProcess callee(String scenario, int calls, int gameBandwidthKbps, int gameLatencyMs, Duration bound) {
        return run("callee", scenario, null, calleePort, calls, bound, List.of(
                "-key", "game_bw", Integer.toString(gameBandwidthKbps),
                "-key", "game_latency", Integer.toString(gameLatencyMs),
                "-recv_timeout", Long.toString(bound.toMillis())));
    }

    /**
     * Starts the caller towards the P-CSCF.
     *
     * @param scenario {@code uac-call.xml}, {@code uac-aborted.xml} or {@code uac-refused.xml}
     * @param calls calls to place (and the most at once)
     * @param callsPerSecond the call rate
     * @param hold how long an answered call is held before the caller hangs up ({@code uac-call.xml})
     * @param recvTimeout the longest wait for any expected message
     * @param bound how long the whole run may take
     */
    SippProcess caller(String scenario, int calls, int callsPerSecond, Duration hold, Duration recvTimeout, Duration bound) {
        return run("caller", scenario, "127.0.0.1:" + kamailio.sipPort(), ports.udp(), calls, bound, List.of(
                "-r", Integer.toString(callsPerSecond), "-l", Integer.toString(calls),
                "-d", Long.toString(hold.toMillis()),
                "-recv_timeout", Long.toString(recvTimeout.toMillis())));
    }

    private SippProcess run(String role, String scenario, String remote, int localPort, int calls, Duration bound, List<String> options) {
        String name = role + "-" + (runs.size() + 1);
        SippProcess p = SippProcess.start(dir, name, scenario, remote, localPort, ports.udp(), calls,
                bound.plusSeconds(5), options);
        runs.add(p);
        return p;
    }

    @Override
    public void close() {
        runs.forEach(SippProcess::close);
        closeQuietly(kamailio, arbiter);
    }

    private static void closeQuietly(KamailioProcess kamailio, ArbiterUnderTest arbiter) {
        try {
            if (kamailio != null) {
                kamailio.close();
            }
        } finally {
            arbiter.close();
        }
    }
}
