package org.arbiter.server.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.arbiter.core.ledger.ChargingRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Billing files on a real file system: rotation, sealing, exactly-once export across a crash. */
class CdrExportIT {

    final Instant t0 = Instant.parse("2026-11-27T10:00:00Z");
    final List<ChargingRecord> ledger = new ArrayList<>();

    CdrExporter.Source source() {
        return (from, to, limit) -> ledger.stream()
                .filter(r -> !r.stoppedAt().isBefore(from) && r.stoppedAt().isBefore(to))
                .sorted((a, b) -> a.stoppedAt().equals(b.stoppedAt()) ? a.recordId().compareTo(b.recordId()) : a.stoppedAt().compareTo(b.stoppedAt()))
                .limit(limit).toList();
    }

    void addRecords(int from, int to) {
        for (int i = from; i < to; i++) {
            ledger.add(CdrFormatTest.record(String.format("r%05d", i), t0.plusMillis(i * 10L), "sip:user" + i + "@rx.test"));
        }
    }

    static List<String> recordIds(Path dir, CdrFormat f) throws IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith("." + f.extension())).sorted().toList()) {
                for (String line : Files.readAllLines(p)) {
                    if (!line.equals(f.header())) {
                        ids.add(f.position(line).recordId());
                    }
                }
            }
        }
        return ids;
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("cdr-")).sorted().toList();
        }
    }

    @Test
    void filesRotateBySizeAndAreSealedWithoutTheOpenSuffix(@TempDir Path dir) throws IOException {
        Clock clock = Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC);
        addRecords(0, 50);
        try (CdrExporter ex = new CdrExporter(source(), new RotatingCdrWriter(dir, "node-1", CdrFormat.CSV, 4096, Duration.ofHours(1), clock),
                dir, Duration.ofSeconds(5), clock)) {
            assertThat(ex.exportOnce(20)).isEqualTo(50);
        }
        List<String> names = names(dir);
        assertThat(names.size()).isGreaterThan(2);
        assertThat(names).allMatch(n -> n.matches("cdr-node-1-\\d{8}T\\d{6}Z-\\d{4}\\.csv"));
        assertThat(recordIds(dir, CdrFormat.CSV)).hasSize(50).doesNotHaveDuplicates();
    }

    @Test
    void anOldFileIsSealedByTheTimer(@TempDir Path dir) throws IOException {
        MutableClock clock = new MutableClock(t0.plusSeconds(60));
        addRecords(0, 3);
        CdrExporter ex = new CdrExporter(source(), new RotatingCdrWriter(dir, "n", CdrFormat.JSONL, 1 << 20, Duration.ofMinutes(5), clock),
                dir, Duration.ofSeconds(5), clock);
        ex.exportOnce(100);
        assertThat(names(dir)).singleElement().satisfies(n -> assertThat(n).endsWith(".jsonl.open"));

        clock.now = clock.now.plus(Duration.ofMinutes(6));
        ex.exportOnce(100);

        assertThat(names(dir)).singleElement().satisfies(n -> assertThat(n).endsWith(".jsonl"));
        ex.close();
    }

    @Test
    void recordsYoungerThanTheLagWaitForTheNextPass(@TempDir Path dir) throws IOException {
        MutableClock clock = new MutableClock(t0.plusMillis(255));
        addRecords(0, 30);
        try (CdrExporter ex = new CdrExporter(source(), new RotatingCdrWriter(dir, "n", CdrFormat.CSV, 1 << 20, Duration.ofHours(1), clock),
                dir, Duration.ofMillis(100), clock)) {
            assertThat(ex.exportOnce(100)).isEqualTo(16);
            clock.now = clock.now.plusSeconds(1);
            assertThat(ex.exportOnce(100)).isEqualTo(14);
        }
        assertThat(recordIds(dir, CdrFormat.CSV)).hasSize(30).doesNotHaveDuplicates();
    }

    @Test
    void aCrashWithATornLineLosesNothingAndDuplicatesNothing(@TempDir Path dir) throws IOException {
        Clock clock = Clock.fixed(t0.plusSeconds(600), ZoneOffset.UTC);
        addRecords(0, 40);
        CdrExporter first = new CdrExporter(source(), new RotatingCdrWriter(dir, "n", CdrFormat.CSV, 1 << 20, Duration.ofHours(1), clock),
                dir, Duration.ofSeconds(5), clock);
        first.exportOnce(100);
        // the process dies: the file stays open, the cursor is rolled back to an older position
        // (as if the crash came between the append and the cursor move), and a torn line trails
        Path open = dir.resolve(names(dir).getFirst());
        Files.writeString(dir.resolve(".export-cursor"), ledger.get(9).stoppedAt() + " " + ledger.get(9).recordId() + "\n");
        Files.writeString(open, "r99999,pcscf.rx.test;1;1,icid,sip:torn", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        addRecords(40, 45);

        try (CdrExporter second = new CdrExporter(source(), new RotatingCdrWriter(dir, "n", CdrFormat.CSV, 1 << 20, Duration.ofHours(1), clock),
                dir, Duration.ofSeconds(5), clock)) {
            assertThat(second.exportOnce(100)).isEqualTo(5);
        }
        List<String> ids = recordIds(dir, CdrFormat.CSV);
        assertThat(ids).hasSize(45).doesNotHaveDuplicates().doesNotContain("r99999");
        assertThat(names(dir)).noneMatch(n -> n.endsWith(".open"));
    }

    @Test
    void aDamagedCursorStopsTheExporterWithItsPath(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".export-cursor"), "yesterday r1\n");
        Clock clock = Clock.systemUTC();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CdrExporter(source(),
                        new RotatingCdrWriter(dir, "n", CdrFormat.CSV, 1 << 20, Duration.ofHours(1), clock), dir, Duration.ZERO, clock))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(".export-cursor")
                .hasMessageContaining("'yesterday'");
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId z) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
