package org.arbiter.adapter.pcmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.arbiter.adapter.pcmm.cops.CopsOpCode;
import org.arbiter.adapter.pcmm.mm.PcmmErrorCode;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.OutcomeStatus;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * tshark 4.0's COPS/PacketCable dissector as the independent judge of the bytes: a whole
 * conversation between the adapter and the CMTS emulator (open, keep-alive, synchronization,
 * Gate-Set with every traffic profile kind, modification, Gate-Set-Err, Gate-Delete, a preemption
 * report, close) is captured on loopback with dumpcap and dissected. No frame may be malformed or
 * carry an expert warning or error, and the decoded fields must be what was sent.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PcmmTsharkIT {

    private static final Duration T = Duration.ofSeconds(5);

    /** The fields read from every COPS PDU, in this order. */
    private static final String[] FIELDS = {"cops.op_code", "cops.client_type", "cops.pc_gate_command_type", "cops.pc_mm_gs_flags",
        "cops.pc_mm_gs_dscp", "cops.pc_mm_gs_dscp_mask", "cops.pc_subscriber_id4", "cops.pc_subscriber_id6", "cops.pc_token_bucket_rate",
        "cops.pc_mm_docsis_scn", "cops.pc_mm_mstr", "cops.pc_mm_ugs", "cops.pc_mm_ngi", "cops.pc_mm_npi", "cops.pc_mm_mdl",
        "cops.pc_mm_error_ec", "cops.pc_mm_gs_state", "cops.pc_mm_gs_reason", "cops.katimer.value", "cops.pepid.id",
        "cops.pc_mm_classifier_src_addr", "cops.pc_mm_classifier_dst_addr_v6", "cops.pc_mm_synch_options_report_type",
        "cops.pc_mm_amid_am_tag", "cops.pc_gate_id", "cops.error", "_ws.malformed", "_ws.expert.severity", "_ws.expert.message"};

    @TempDir
    Path dir;

    @BeforeAll
    static void needsWireshark() {
        Assumptions.assumeTrue(onPath("dumpcap") && onPath("tshark"), "dumpcap and tshark are not installed");
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static Process dumpcap(int port, Path file) throws Exception {
        Process p = new ProcessBuilder("dumpcap", "-i", "lo", "-f", "tcp port " + port, "-w", file.toString())
                .redirectErrorStream(true).start();
        CountDownLatch capturing = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("Capturing on")) {
                        capturing.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                capturing.countDown();
            }
        });
        assertThat(capturing.await(30, TimeUnit.SECONDS)).as("dumpcap reports capturing").isTrue();
        return p;
    }

    /** One row per COPS PDU: field name to value (several occurrences joined by ','). */
    private static List<Map<String, String>> tshark(Path file, int port) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-d", "tcp.port==" + port + ",cops", "-Y", "cops",
                "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String f : FIELDS) {
            cmd.add("-e");
            cmd.add(f);
        }
        Path err = file.resolveSibling("tshark.err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("tshark: %s", Files.readString(err)).isTrue();
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : out.lines().toList()) {
            String[] v = line.split("\\|", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < FIELDS.length; i++) {
                row.put(FIELDS[i], i < v.length ? v[i] : "");
            }
            rows.add(row);
        }
        return rows;
    }

    private static PcmmDevice adapter(int port, Map<String, Object> extra) {
        Map<String, Object> s = new HashMap<>(Map.of("host", "127.0.0.1", "port", port, "amid", "1:42", "keepalive-seconds", 1,
                "reconnect-min-ms", 50));
        s.putAll(extra);
        return new PcmmAdapterProvider().create(new AdapterConfig("cmts-t", "devices[0].settings", s));
    }

    private static DeviceReservation reservation(String id, Direction d, String address, long rate, int dscp, Integer latencyMs) {
        return new DeviceReservation("pcscf.rx.test;1;1|" + id + "|" + d.label() + "|" + address + "|line-1", "pcscf.rx.test;1;1",
                "line-1", d, address, rate, DeviceReservation.defaultBurst(rate), dscp, latencyMs);
    }

    private static void await(BooleanSupplier condition, String what) {
        Poll.until(condition, Duration.ofSeconds(20), what);
    }

    @Test
    void wholeConversationDissectsCleanlyWithTheFieldsSent() throws Exception {
        Path capture = dir.resolve("pcmm.pcapng");
        int port;
        try (CmtsEmulator cmts = CmtsEmulator.start()) {
            port = cmts.port();
            Process dumpcap = dumpcap(port, capture);
            try {
                try (PcmmDevice flow = adapter(port, Map.of())) {
                    DeviceReservation up = reservation("1.1", Direction.UPLINK, "10.1.0.7", 64_000, 46, 100);
                    DeviceReservation down = reservation("1.2", Direction.DOWNLINK, "2001:db8:0:1::1b", 96_000, 34, null);
                    assertThat(flow.install(List.of(up, down), T)).extracting(o -> o.status())
                            .containsExactly(OutcomeStatus.APPLIED, OutcomeStatus.APPLIED);
                    assertThat(flow.install(List.of(new DeviceReservation(up.id(), up.sessionId(), up.poolId(), up.direction(),
                            up.subscriberAddress(), 128_000, up.burstBytes(), 46, 100)), T)).extracting(o -> o.status())
                            .containsExactly(OutcomeStatus.APPLIED);
                    assertThat(flow.list(T).reservations()).hasSize(2);
                    await(() -> cmts.fromPdp().stream().anyMatch(m -> m.opCode() == CopsOpCode.KA), "a keep-alive echo");
                    cmts.rejectGateSets(PcmmErrorCode.UNDEFINED_SERVICE_CLASS_NAME.code());
                    assertThat(flow.install(List.of(reservation("1.3", Direction.UPLINK, "10.1.0.8", 64_000, 46, null)), T))
                            .extracting(o -> o.status()).containsExactly(OutcomeStatus.REJECTED);
                    cmts.rejectGateSets(0);
                    assertThat(flow.remove(List.of(down.id()), T)).extracting(o -> o.status()).containsExactly(OutcomeStatus.REMOVED);
                    long gate = cmts.gates().get(0).gateId();
                    assertThat(cmts.preempt(gate)).isTrue();
                    await(() -> flow.list(T).reservations().isEmpty(), "the preempted gate to leave the listing");
                }
                try (PcmmDevice docsis = adapter(port, Map.of("upstream-profile", "ugs", "downstream-profile", "downstream-service"));
                        PcmmDevice rtps = adapter(port, Map.of("upstream-profile", "rtps"));
                        PcmmDevice named = adapter(port, Map.of("upstream-profile", "best-effort",
                                "service-class", Map.of("downstream", "VIDEO_DS")))) {
                    assertThat(docsis.install(List.of(reservation("2.1", Direction.UPLINK, "10.2.0.1", 80_000, 46, 40),
                            reservation("2.2", Direction.DOWNLINK, "10.2.0.1", 80_000, 46, 40)), T)).extracting(o -> o.status())
                            .containsOnly(OutcomeStatus.APPLIED);
                    assertThat(rtps.install(List.of(reservation("3.1", Direction.UPLINK, "10.3.0.1", 200_000, 40, 20)), T))
                            .extracting(o -> o.status()).containsOnly(OutcomeStatus.APPLIED);
                    assertThat(named.install(List.of(reservation("4.1", Direction.UPLINK, "10.4.0.1", 300_000, 10, null),
                            reservation("4.2", Direction.DOWNLINK, "10.4.0.1", 5_000_000, 34, null)), T)).extracting(o -> o.status())
                            .containsOnly(OutcomeStatus.APPLIED);
                }
                await(() -> cmts.fromPdp().stream().filter(m -> m.opCode() == CopsOpCode.CC).count() >= 4, "the Client-Closes");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (tshark(capture, port).stream().filter(r -> r.get("cops.op_code").equals("8")).count() < 4) {
                    assertThat(dumpcap.isAlive()).isTrue();
                    assertThat(System.nanoTime()).as("the capture to hold the Client-Closes").isLessThan(deadline);
                }
            } finally {
                dumpcap.destroy();
                assertThat(dumpcap.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
        }

        List<Map<String, String>> rows = tshark(capture, port);
        String all = String.join("\n", rows.stream().map(Object::toString).toList());
        assertThat(rows).as(all).hasSizeGreaterThan(40).allSatisfy(r -> {
            assertThat(r.get("_ws.malformed")).as("malformed in %s", r).isEmpty();
            assertThat(r.get("_ws.expert.message")).as("expert info in %s", r).isEmpty();
            assertThat(r.get("_ws.expert.severity")).as("expert info in %s", r).isEmpty();
        });

        assertThat(rows).as("Client-Open from the CMTS").anyMatch(r -> is(r, "cops.op_code", "6") && is(r, "cops.client_type", "32778")
                && is(r, "cops.pepid.id", CmtsEmulator.PEP_ID));
        assertThat(rows).as("Client-Accept with the KA timer").anyMatch(r -> is(r, "cops.op_code", "7") && is(r, "cops.katimer.value", "1"));
        assertThat(rows.stream().filter(r -> is(r, "cops.op_code", "9") && is(r, "cops.client_type", "0"))).as("keep-alives and echoes")
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(rows).as("IPv4 upstream Gate-Set, EF, FlowSpec 64 kbit/s").anyMatch(r -> gateSet(r) && is(r, "cops.pc_mm_gs_flags", "0x03")
                && is(r, "cops.pc_mm_gs_dscp", "0xb8") && is(r, "cops.pc_mm_gs_dscp_mask", "0xfc")
                && is(r, "cops.pc_subscriber_id4", "10.1.0.7") && is(r, "cops.pc_mm_classifier_src_addr", "10.1.0.7")
                && is(r, "cops.pc_token_bucket_rate", "8000,8000,8000") && is(r, "cops.pc_gate_id", ""));
        assertThat(rows).as("IPv6 downstream Gate-Set, AF41, FlowSpec 96 kbit/s").anyMatch(r -> gateSet(r)
                && is(r, "cops.pc_mm_gs_flags", "0x02") && is(r, "cops.pc_mm_gs_dscp", "0x88")
                && is(r, "cops.pc_subscriber_id6", "2001:db8:0:1::1b") && is(r, "cops.pc_mm_classifier_dst_addr_v6", "2001:db8:0:1::1b")
                && is(r, "cops.pc_token_bucket_rate", "12000,12000,12000"));
        String gate = rows.stream().filter(r -> command(r, "0x0005") && is(r, "cops.pc_subscriber_id4", "10.1.0.7")).findFirst()
                .orElseThrow().get("cops.pc_gate_id");
        assertThat(rows).as("modification of gate %s to 128 kbit/s", gate).anyMatch(r -> gateSet(r) && is(r, "cops.pc_gate_id", gate)
                && is(r, "cops.pc_token_bucket_rate", "16000,16000,16000"));
        assertThat(rows).as("Synch-Request for complete gate data").anyMatch(r -> command(r, "0x0014")
                && is(r, "cops.pc_mm_synch_options_report_type", "1") && is(r, "cops.pc_mm_amid_am_tag", "42"));
        assertThat(rows).as("Synch-Report of a committed gate").anyMatch(r -> command(r, "0x0015") && is(r, "cops.pc_mm_gs_state", "4"));
        assertThat(rows).as("Synch-Complete").anyMatch(r -> command(r, "0x0016"));
        assertThat(rows).as("Gate-Set-Err 11").anyMatch(r -> command(r, "0x0006") && is(r, "cops.pc_mm_error_ec", "11"));
        assertThat(rows).as("Gate-Delete").anyMatch(r -> command(r, "0x000a") && is(r, "cops.pc_subscriber_id6", "2001:db8:0:1::1b"));
        assertThat(rows).as("Gate-Delete-Ack").anyMatch(r -> command(r, "0x000b"));
        assertThat(rows).as("Gate-Report-State: closed by preemption").anyMatch(r -> command(r, "0x000f")
                && is(r, "cops.pc_mm_gs_state", "1") && is(r, "cops.pc_mm_gs_reason", "0x0001") && is(r, "cops.pc_gate_id", gate));
        assertThat(rows).as("UGS: 200-byte grants every 20 ms").anyMatch(r -> gateSet(r) && is(r, "cops.pc_mm_ugs", "200,200,200")
                && is(r, "cops.pc_mm_ngi", "20000,20000,20000"));
        assertThat(rows).as("Downstream Service with a 40 ms latency").anyMatch(r -> gateSet(r)
                && is(r, "cops.pc_mm_mstr", "80000,80000,80000") && is(r, "cops.pc_mm_mdl", "40000,40000,40000"));
        assertThat(rows).as("Real-Time Polling every 10 ms").anyMatch(r -> gateSet(r) && is(r, "cops.pc_mm_mstr", "200000,200000,200000")
                && is(r, "cops.pc_mm_npi", "10000,10000,10000") && is(r, "cops.pc_mm_gs_dscp", "0xa0"));
        assertThat(rows).as("Best Effort at 300 kbit/s").anyMatch(r -> gateSet(r) && is(r, "cops.pc_mm_mstr", "300000,300000,300000")
                && is(r, "cops.pc_mm_npi", ""));
        assertThat(rows).as("Service Class Name").anyMatch(r -> gateSet(r) && is(r, "cops.pc_mm_docsis_scn", "VIDEO_DS")
                && is(r, "cops.pc_mm_gs_flags", "0x02"));
        assertThat(rows.stream().filter(r -> is(r, "cops.op_code", "8") && is(r, "cops.error", "11"))).as("Client-Close, Shutting down")
                .hasSizeGreaterThanOrEqualTo(4);
    }

    private static boolean is(Map<String, String> row, String field, String value) {
        return value.equals(row.get(field));
    }

    private static boolean command(Map<String, String> row, String type) {
        return is(row, "cops.pc_gate_command_type", type);
    }

    private static boolean gateSet(Map<String, String> row) {
        return is(row, "cops.op_code", "2") && command(row, "0x0004");
    }
}
