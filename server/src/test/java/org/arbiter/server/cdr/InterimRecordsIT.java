package org.arbiter.server.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.ledger.ExpiryScheduler;
import org.arbiter.ledger.JdbcLedger;
import org.arbiter.ledger.LedgerConfig;
import org.arbiter.ledger.TopologyFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Interim billing records end to end on a real H2 file ledger: the sweep writes them, the
 * exporter's files and {@code arbiter cdr export} carry them with kind and sequence.
 */
class InterimRecordsIT {

    static final Path EXAMPLES = Path.of("..", "docs", "examples").toAbsolutePath().normalize();
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Duration INTERVAL = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    Path config;
    LedgerConfig ledgerConfig;

    @BeforeEach
    void configuration() throws Exception {
        Files.copy(EXAMPLES.resolve("topology.yaml"), dir.resolve("topology.yaml"));
        Files.createDirectories(dir.resolve("policy"));
        String url = "jdbc:h2:file:" + dir.resolve("data/arbiter");
        ledgerConfig = LedgerConfig.of(url, "arbiter", "");
        config = dir.resolve("arbiter.yaml");
        Files.writeString(config, """
                diameter: {origin-host: pcrf.test, origin-realm: test}
                ledger: {url: "%s", topology: topology.yaml}
                policy: {dir: policy}
                admin: {enabled: false}
                cdr: {interim-seconds: 60}
                """.formatted(url));
    }

    /**
     * Admits and commits a session at T0, lets the sweep write its first interim record at
     * T0 + 60 s, and releases it at T0 + 90 s.
     */
    private List<ChargingRecord> sessionWithOneInterimRecord(JdbcLedger ledger) throws InterruptedException {
        ledger.applyTopology(TopologyFile.load(dir.resolve("topology.yaml")), false);
        AccessPath p = ledger.resolve("10.1.0.7").orElseThrow();
        Decision d = Decision.accept(List.of(new FlowGrant(new FlowKey(1, 1), "voice", 64_000, 64_000, null, 46, 1, 5,
                false)), "v1", "voice", List.of());
        ledger.admit(new AdmissionRequest("pcscf.rx.test;1;1", "pcscf.rx.test", "sip:alice@rx.test", "icid-1", d,
                List.of(new HoldRequest(new FlowKey(1, 1), Direction.UPLINK, p, 64_000, 46, null),
                        new HoldRequest(new FlowKey(1, 1), Direction.DOWNLINK, p, 64_000, 46, null)),
                T0, T0.plusSeconds(30), T0.plusSeconds(3600)));
        ledger.commit("pcscf.rx.test;1;1", T0);
        CdrExportIT.MutableClock clock = new CdrExportIT.MutableClock(T0.plus(INTERVAL));
        CountDownLatch wrote = new CountDownLatch(1);
        try (ExpiryScheduler s = InterimSweep.start(ledger, INTERVAL, Duration.ofMillis(10), clock, n -> {
            if (n > 0) {
                wrote.countDown();
            }
        }).orElseThrow()) {
            assertThat(wrote.await(30, TimeUnit.SECONDS)).isTrue();
        }
        ledger.release("pcscf.rx.test;1;1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(90));
        return ledger.chargingRecords(T0, T0.plusSeconds(3600), 100);
    }

    @Test
    void theSweepWritesAnInterimRecordAndTheFinalRecordFollowsIt() throws Exception {
        List<ChargingRecord> records;
        try (JdbcLedger ledger = JdbcLedger.open(ledgerConfig)) {
            records = sessionWithOneInterimRecord(ledger);
        }

        assertThat(records).extracting(ChargingRecord::kind, ChargingRecord::sequence, ChargingRecord::stoppedAt)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ChargingRecord.Kind.INTERIM, 1, T0.plusSeconds(60)),
                        org.assertj.core.groups.Tuple.tuple(ChargingRecord.Kind.STOP, 2, T0.plusSeconds(90)));
        assertThat(records).allSatisfy(r -> assertThat(r.flows()).hasSize(6));
    }

    @Test
    void theExporterWritesInterimRecordsToTheBillingFilesWithKindAndSequence() throws Exception {
        Path cdr = dir.resolve("cdr");
        CdrExportIT.MutableClock exportClock = new CdrExportIT.MutableClock(T0.plusSeconds(600));
        try (JdbcLedger ledger = JdbcLedger.open(ledgerConfig)) {
            sessionWithOneInterimRecord(ledger);
            try (CdrExporter ex = new CdrExporter(ledger::chargingRecords, new RotatingCdrWriter(cdr, "n1", CdrFormat.JSONL,
                    1 << 20, Duration.ofHours(1), exportClock), cdr, Duration.ofSeconds(5), exportClock)) {
                assertThat(ex.exportOnce(100)).isEqualTo(2);
            }
        }

        List<String> lines;
        try (var files = Files.list(cdr)) {
            Path file = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).findFirst().orElseThrow();
            lines = Files.readAllLines(file);
        }
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"record_kind\":\"INTERIM\"").contains("\"record_seq\":1")
                .contains("\"termination_cause\":null");
        assertThat(lines.get(1)).contains("\"record_kind\":\"STOP\"").contains("\"record_seq\":2")
                .contains("\"termination_cause\":\"DIAMETER_LOGOUT\"");
    }

    @Test
    void cdrExportPrintsInterimRowsWithKindAndSequenceColumns() throws Exception {
        try (JdbcLedger ledger = JdbcLedger.open(ledgerConfig)) {
            sessionWithOneInterimRecord(ledger);
        }
        Path out = dir.resolve("export.csv");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new CdrCommand());
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("export", "--config", config.toString(), "--from", "2026-11-27T00:00:00Z",
                "--to", "2026-11-28T00:00:00Z", "--format", "csv", "--out", out.toString());

        assertThat(code).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo(CdrFormat.CSV.header()).endsWith(",record_kind,record_seq");
        List<String> interim = CdrFormat.splitCsv(lines.get(1));
        List<String> last = CdrFormat.splitCsv(lines.get(2));
        assertThat(interim.get(1)).isEqualTo("pcscf.rx.test;1;1");
        assertThat(interim.get(8)).isEqualTo("60000");
        assertThat(interim.get(12)).isEmpty();
        assertThat(interim.subList(14, 16)).containsExactly("INTERIM", "1");
        assertThat(last.get(8)).isEqualTo("90000");
        assertThat(last.get(12)).isEqualTo("DIAMETER_LOGOUT");
        assertThat(last.subList(14, 16)).containsExactly("STOP", "2");
    }
}
