package org.arbiter.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kamailio 5.6 P-CSCF (ims_qos over cdp) started from the project's template in a test's
 * directory, listening for SIP on 127.0.0.1 and connecting to the PDP over Diameter.
 *
 * <p><b>Life.</b> {@link #start} writes {@code kamailio.cfg} and {@code cdp.xml}, runs Kamailio in
 * the foreground with core dumps off ({@code ulimit -c 0}), its log in {@code kamailio.log}, and
 * returns once the SIP port answers an OPTIONS. {@link #close} waits (bounded) until no SIP
 * transaction is in memory ({@code kamcmd tm.stats}: 5.6.3 may crash when stopped with
 * transactions pending), sends SIGTERM, and SIGKILLs Kamailio and the children it forked when
 * they are not gone after 5 s. It stops only the processes it started, and then removes the named
 * pipes those processes left in {@code /tmp}: cdp makes one per Diameter sender,
 * {@code /tmp/cdp_send_<pid>_<n>_<time>}, a path compiled into the module, and never removes them.
 *
 * <p>Not thread-safe; one test drives it.
 */
final class KamailioProcess implements AutoCloseable {

    /** Kamailio's Diameter identity (cdp FQDN): the Origin-Host of its CER, AARs and STRs. */
    static final String ORIGIN_HOST = "pcscf.e2e.test";
    /** Kamailio's Diameter realm. */
    static final String ORIGIN_REALM = "e2e.test";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration TERM_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern CURRENT = Pattern.compile("current:\\s*(\\d+)");
    private static final Pattern CDP_PIPE = Pattern.compile("cdp_send_(\\d{1,10})_.*");
    static final Path CDP_PIPE_DIR = Path.of("/tmp");
    private static final Pattern PEER_STATE = Pattern.compile("FQDN:\\s*(\\S+)\\s*Details:\\s*\\{\\s*State:\\s*(\\S+)");

    /**
     * How the P-CSCF is wired.
     *
     * @param calleePort the UDP port of the callee (SIPp UAS on 127.0.0.1): every initial INVITE goes there
     * @param pdpHost the PDP's Diameter identity; cdp connects to it and matches ASRs by it, so it
     *     must be the PDP's Origin-Host and resolvable (the IP literal 127.0.0.1)
     * @param pdpPort the PDP's Diameter port
     * @param pdpRealm the PDP's realm, the AARs' Destination-Realm
     * @param rxDirection {@code orig} (the AAR is for the caller) or {@code term} (for the callee)
     * @param tcSeconds cdp's Tc: seconds between reconnect attempts and watchdogs
     */
    record Wiring(int calleePort, String pdpHost, int pdpPort, String pdpRealm, String rxDirection, int tcSeconds) {
        Wiring {
            if (!rxDirection.equals("orig") && !rxDirection.equals("term")) {
                throw new IllegalArgumentException("rxDirection must be orig or term, was " + rxDirection);
            }
        }
    }

    private final Path dir;
    private final int sipPort;
    private final Path kamcmd;
    private final Path ctlSocket;
    private final Process process;

    private KamailioProcess(Path dir, int sipPort, Path kamcmd, Path ctlSocket, Process process) {
        this.dir = dir;
        this.sipPort = sipPort;
        this.kamcmd = kamcmd;
        this.ctlSocket = ctlSocket;
        this.process = process;
    }

    /** Starts Kamailio in {@code dir} (created when missing) on UDP {@code sipPort}. */
    static KamailioProcess start(Path dir, int sipPort, Wiring wiring) {
        Path kamailio = Binaries.require("kamailio", "kamailio");
        Path kamcmd = Binaries.require("kamcmd", "kamailio");
        Path modules = Binaries.kamailioModules();
        Path ctl = dir.resolve("kamailio.ctl");
        Path cdp = Templates.fill("kamailio/cdp.xml", Map.of(
                "ORIGIN_HOST", ORIGIN_HOST,
                "ORIGIN_REALM", ORIGIN_REALM,
                "PCRF_HOST", wiring.pdpHost(),
                "PCRF_PORT", Integer.toString(wiring.pdpPort()),
                "PCRF_REALM", wiring.pdpRealm(),
                "TC", Integer.toString(wiring.tcSeconds())), dir.resolve("cdp.xml"));
        Path cfg = Templates.fill("kamailio/kamailio.cfg", Map.of(
                "SIP_PORT", Integer.toString(sipPort),
                "CALLEE_PORT", Integer.toString(wiring.calleePort()),
                "WORK_DIR", dir.toString(),
                "MODULE_DIR", modules + "/",
                "CTL_SOCKET", ctl.toString(),
                "CDP_CONFIG", cdp.toString(),
                "RX_REALM", wiring.pdpRealm(),
                "RX_DIRECTION", wiring.rxDirection()), dir.resolve("kamailio.cfg"));
        Path log = dir.resolve("kamailio.log");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "ulimit -c 0 && exec \"$0\" \"$@\"",
                kamailio.toString(), "-f", cfg.toString(), "-DD", "-E", "-m", "64", "-M", "8")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + kamailio, e);
        }
        KamailioProcess k = new KamailioProcess(dir, sipPort, kamcmd, ctl, p);
        try {
            k.awaitSipAnswers();
        } catch (RuntimeException | AssertionError e) {
            k.close();
            throw e;
        }
        return k;
    }

    int sipPort() {
        return sipPort;
    }

    /** The SIP transactions Kamailio holds in memory now, or -1 when kamcmd could not tell. */
    int transactionsInMemory() {
        Matcher m = CURRENT.matcher(kamcmd("tm.stats"));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** cdp's state of its connection to {@code pdpHost} ({@code I_Open} when usable), or "unknown". */
    String rxPeerState(String pdpHost) {
        Matcher m = PEER_STATE.matcher(kamcmd("cdp.list_peers"));
        while (m.find()) {
            if (m.group(1).equals(pdpHost)) {
                return m.group(2);
            }
        }
        return "unknown";
    }

    /** Waits until Kamailio holds no SIP transaction; false when some are left after {@code timeout}. */
    boolean awaitNoTransactions(Duration timeout) {
        return Poll.within(timeout, () -> transactionsInMemory() == 0);
    }

    /** The last {@code lines} lines of Kamailio's log, for failure messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(dir.resolve("kamailio.log"), StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(kamailio.log unreadable: " + e.getMessage() + ")";
        }
    }

    private String kamcmd(String command) {
        if (!process.isAlive()) {
            return "";
        }
        ProcessBuilder pb = new ProcessBuilder(kamcmd.toString(), "-s", "unix:" + ctlSocket, command).redirectErrorStream(true);
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Sends OPTIONS until any SIP response comes back (the script answers 405). */
    private void awaitSipAnswers() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            s.setSoTimeout(200);
            byte[] buf = new byte[4096];
            for (int n = 1; System.nanoTime() < deadline; n++) {
                if (!process.isAlive()) {
                    throw new AssertionError("kamailio exited with " + process.exitValue() + " while starting; log:\n" + logTail(40));
                }
                byte[] options = options(s.getLocalPort(), n).getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(options, options.length, loopback, sipPort));
                try {
                    DatagramPacket reply = new DatagramPacket(buf, buf.length);
                    s.receive(reply);
                    if (new String(buf, 0, reply.getLength(), StandardCharsets.US_ASCII).startsWith("SIP/2.0 ")) {
                        return;
                    }
                } catch (SocketTimeoutException e) {
                    // not listening yet: ask again
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot probe Kamailio's SIP port " + sipPort, e);
        }
        throw new AssertionError("kamailio did not answer SIP on 127.0.0.1:" + sipPort + " within " + START_TIMEOUT.toSeconds()
                + " s; log:\n" + logTail(40));
    }

    private String options(int localPort, int n) {
        return "OPTIONS sip:ping@127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + localPort + ";branch=z9hG4bK-e2e-ping-" + n + "\r\n"
                + "From: <sip:ping@e2e.test>;tag=e2e-ping\r\n"
                + "To: <sip:ping@127.0.0.1>\r\n"
                + "Call-ID: e2e-ping-" + n + "-" + localPort + "@127.0.0.1\r\n"
                + "CSeq: " + n + " OPTIONS\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            awaitNoTransactions(DRAIN_TIMEOUT);
        }
        List<ProcessHandle> started = new ArrayList<>();
        process.descendants().forEach(started::add);
        process.destroy();
        try {
            if (!process.waitFor(TERM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(TERM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        Set<Long> pids = new HashSet<>();
        pids.add(process.pid());
        for (ProcessHandle child : started) {
            pids.add(child.pid());
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        for (Path pipe : cdpPipes(CDP_PIPE_DIR, pids)) {
            try {
                Files.deleteIfExists(pipe);
            } catch (IOException e) {
                // another cleanup got there first, or /tmp forbids it: the pipe is empty either way
            }
        }
    }

    /** The pids of Kamailio and the children it has forked so far. */
    Set<Long> pids() {
        Set<Long> pids = new HashSet<>();
        pids.add(process.pid());
        process.descendants().forEach(h -> pids.add(h.pid()));
        return pids;
    }

    /**
     * The cdp sender pipes in {@code dir} made by one of {@code pids}: named
     * {@code cdp_send_<pid>_...} and neither a regular file nor a directory (a FIFO). Never opens them:
     * opening a FIFO with no writer blocks.
     */
    static List<Path> cdpPipes(Path dir, Set<Long> pids) {
        List<Path> pipes = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "cdp_send_*")) {
            for (Path entry : entries) {
                Matcher m = CDP_PIPE.matcher(entry.getFileName().toString());
                if (m.matches() && pids.contains(Long.parseLong(m.group(1)))
                        && Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                    pipes.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return pipes;
    }
}
