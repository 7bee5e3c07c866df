package org.arbiter.diameter.rx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.net.Socket;
import org.arbiter.core.session.SpecificAction;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.DiameterServer;
import org.arbiter.diameter.StubHandler;
import org.arbiter.diameter.TestPeer;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.RxSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tshark 4.0 as the independent judge of our bytes: CEA, AAA, RAR and ASR are captured on
 * loopback with dumpcap and dissected; no frame may be malformed or carry a warning or error.
 */
class TsharkIT {

    private static final String[] FIELDS = {"diameter.cmd.code", "diameter.flags.request", "diameter.Result-Code",
        "diameter.Session-Id", "diameter.Specific-Action", "diameter.Origin-Host", "_ws.malformed", "_ws.expert.severity",
        "_ws.expert.message"};

    private static final Pattern PACKETS = Pattern.compile("Packets: (\\d+)");

    @TempDir
    Path dir;

    /**
     * Starts dumpcap and returns once it captures: after it reports "Capturing on", plain TCP
     * connections to the port are opened until its packet counter moves.
     */
    private static Process dumpcap(int port, Path file) throws Exception {
        Process p = new ProcessBuilder("dumpcap", "-i", "lo", "-f", "tcp port " + port, "-w", file.toString())
                .redirectErrorStream(true).start();
        CountDownLatch capturing = new CountDownLatch(1);
        AtomicInteger packets = new AtomicInteger();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("Capturing on")) {
                        capturing.countDown();
                    }
                    Matcher m = PACKETS.matcher(line);
                    if (m.find()) {
                        packets.set(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (java.io.IOException e) {
                capturing.countDown();
            }
        });
        assertThat(capturing.await(20, TimeUnit.SECONDS)).as("dumpcap reports capturing").isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (packets.get() == 0 && System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(200);
                s.getInputStream().read(new byte[1]);
            } catch (java.io.IOException e) {
                // a probe only has to produce packets
            }
        }
        assertThat(packets.get()).as("dumpcap counts packets").isPositive();
        return p;
    }

    private static List<String> tshark(Path file, int port, String... fields) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", file.toString(), "-d", "tcp.port==" + port + ",diameter",
                "-Y", "diameter", "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Path err = file.resolveSibling("tshark.err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("tshark: %s", Files.readString(err)).isTrue();
        return out.lines().toList();
    }

    @Test
    void ceaAaaRarAndAsrDissectCleanly() throws Exception {
        StubHandler handler = new StubHandler();
        Path capture = dir.resolve("rx.pcapng");
        int port;
        try (DiameterServer server = DiameterServer.start(DiameterConfig.builder("pdp.test", "pdp.test").listen("127.0.0.1", 0)
                .allow("pcscf.rx.test").requestTimeout(Duration.ofSeconds(2)).build(), handler)) {
            port = server.port();
            Process dumpcap = dumpcap(port, capture);
            try (TestPeer p = TestPeer.open(port, "pcscf.rx.test")) {
                DiameterMessage aar = RxSamples.kamailioAar();
                List<Avp> avps = new ArrayList<>(aar.avps());
                avps.add(Avp.enumerated(TestPeer.def("Specific-Action"), SpecificAction.INDICATION_OF_SUCCESSFUL_RESOURCES_ALLOCATION.code()));
                p.send(aar.withAvps(avps));
                assertThat(TestPeer.resultCode(p.receiveSkippingWatchdog())).isEqualTo(2001);
                DiameterMessage rar = p.receiveSkippingWatchdog();
                p.send(p.answer(rar, 2001));
                server.notifier().abort(RxSamples.SESSION_ID, "pcscf.rx.test", "test");
                DiameterMessage asr = p.receiveSkippingWatchdog();
                p.send(p.answer(asr, 2001));
                assertThat(TestPeer.resultCode(p.exchange(RxSamples.kamailioStrAfterAsr(RxSamples.SESSION_ID)))).isEqualTo(2001);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (tshark(capture, port, FIELDS).stream().noneMatch(r -> r.startsWith("275|0|")) && System.nanoTime() < deadline) {
                assertThat(dumpcap.isAlive()).isTrue();
            }
            dumpcap.destroy();
            assertThat(dumpcap.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }

        List<String> rows = tshark(capture, port, FIELDS);
        String all = String.join("\n", rows);

        assertThat(rows).as(all).hasSizeGreaterThanOrEqualTo(10).allSatisfy(r -> {
            String[] f = r.split("\\|", -1);
            assertThat(f[6]).as("malformed in %s", r).isEmpty();
            assertThat(f[8]).as("expert info in %s", r).doesNotContainIgnoringCase("malformed").doesNotContainIgnoringCase("error");
        });
        assertThat(rows).as(all).anyMatch(r -> r.startsWith("257|0|2001|") && r.contains("|pdp.test|"));
        assertThat(rows).as(all).anyMatch(r -> r.startsWith("265|0|2001|" + RxSamples.SESSION_ID + "|"));
        assertThat(rows).as(all).anyMatch(r -> r.startsWith("258|1||" + RxSamples.SESSION_ID + "|8|pdp.test|"));
        assertThat(rows).as(all).anyMatch(r -> r.startsWith("274|1||" + RxSamples.SESSION_ID + "||pdp.test|"));
        assertThat(rows).as(all).anyMatch(r -> r.startsWith("275|0|2001|" + RxSamples.SESSION_ID + "|"));
    }
}
