package org.arbiter.server.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.ledger.JdbcLedger;
import org.arbiter.ledger.LedgerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No billing record is lost or duplicated when the process is killed with SIGKILL mid-export. */
class CdrKillIT {

    static final Path TOPOLOGY = Path.of("..", "docs", "examples", "topology.yaml").toAbsolutePath().normalize();

    @Test
    void killNineThenRestartExportsEveryRecordExactlyOnce(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CdrCrashChild.class.getName(),
                dir.toString(), TOPOLOGY.toString()).redirectErrorStream(true).start();
        AtomicInteger released = new AtomicInteger();
        List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    if (l.startsWith("released ")) {
                        released.set(Integer.parseInt(l.substring(9).trim()));
                    } else {
                        output.add(l);
                    }
                }
            } catch (Exception e) {
                output.add("(" + e + ")");
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (released.get() < 150 && child.isAlive() && System.nanoTime() < deadline) {
            child.waitFor(50, TimeUnit.MILLISECONDS);
        }
        assertThat(released.get()).as(String.join("\n", output)).isGreaterThanOrEqualTo(150);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Path cdr = dir.resolve("cdr");
        List<String> inLedger;
        try (JdbcLedger ledger = JdbcLedger.open(LedgerConfig.h2File(dir.resolve("ledger")))) {
            Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMillis(1));
            try (CdrExporter exporter = new CdrExporter(ledger::chargingRecords,
                    new RotatingCdrWriter(cdr, "crash", CdrFormat.CSV, 4096, Duration.ofHours(1), later), cdr, Duration.ZERO, later)) {
                exporter.exportOnce(10_000);
            }
            inLedger = ledger.chargingRecords(Instant.EPOCH, Instant.now().plusSeconds(60), 1_000_000).stream()
                    .map(ChargingRecord::recordId).sorted().toList();
        }
        List<String> inFiles = new ArrayList<>();
        try (Stream<Path> files = Files.list(cdr)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".csv")).toList()) {
                for (String line : Files.readAllLines(p)) {
                    if (!line.equals(CdrFormat.CSV.header())) {
                        inFiles.add(CdrFormat.CSV.position(line).recordId());
                    }
                }
            }
        }
        assertThat(inLedger.size()).isGreaterThanOrEqualTo(150);
        assertThat(inFiles).doesNotHaveDuplicates();
        assertThat(inFiles.stream().sorted().toList()).isEqualTo(inLedger);
        try (Stream<Path> files = Files.list(cdr)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".open"));
        }
    }
}
