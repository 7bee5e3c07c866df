package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.arbiter.core.ledger.Ledger.LedgerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal log file: records come back in order, a torn end is cut off, damage before a whole
 * record stops; emptied in place, it keeps its length and reads as empty.
 */
class JournalLogTest {

    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static JournalBlock.Data block(long firstSeq, int rows) {
        JournalBlock.Builder b = new JournalBlock.Builder();
        for (int i = 0; i < rows; i++) {
            b.add(firstSeq + i, "COMMIT", "s;" + (firstSeq + i), T.plusSeconds(i), "");
        }
        return b.build();
    }

    private Path log() {
        return JournalLog.pathOf(dir.resolve("arbiter").toString(), 0);
    }

    /** Writes blocks of rows 1-2, 3-5 and 6 in two appends; returns the file's length after the first append. */
    private long threeRecords() throws IOException {
        try (JournalLog log = JournalLog.open(log())) {
            log.append(List.of(block(1, 2), block(3, 3)));
            long first = log.size();
            log.append(List.of(block(6, 1)));
            log.force();
            return first;
        }
    }

    @Test
    void recordsComeBackInOrderWithTheirRowsAndTheLogIsNamedAfterTheDatabase() throws IOException {
        threeRecords();

        JournalLog.Contents c = JournalLog.readFile(log());

        assertThat(log().getFileName().toString()).isEqualTo("arbiter.journal.log.0");
        assertThat(c.entries()).extracting(JournalLog.Entry::firstSeq, JournalLog.Entry::lastSeq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 2L), org.assertj.core.groups.Tuple.tuple(3L, 5L),
                        org.assertj.core.groups.Tuple.tuple(6L, 6L));
        assertThat(JournalBlock.decode(3, 5, c.entries().get(1).block())).extracting(JournalBlock.Row::sessionId)
                .containsExactly("s;3", "s;4", "s;5");
        assertThat(c.tornEnd()).isFalse();
        assertThat(c.validBytes()).isEqualTo(Files.size(log()));
    }

    @Test
    void aTornEndIsCutOffWhenTheLogOpensAndTheRecordsBeforeItStay() throws IOException {
        long first = threeRecords();
        long whole = Files.size(log());
        try (RandomAccessFile f = new RandomAccessFile(log().toFile(), "rw")) {
            f.setLength(whole - 3);
        }

        assertThat(JournalLog.readFile(log()).tornEnd()).isTrue();
        try (JournalLog log = JournalLog.open(log())) {
            assertThat(log.size()).isEqualTo(first);
            assertThat(log.contents().entries()).extracting(JournalLog.Entry::lastSeq).containsExactly(2L, 5L);
        }
        assertThat(Files.size(log())).isEqualTo(first);
    }

    @Test
    void zerosAfterTheLastRecordAreATornEnd() throws IOException {
        long first;
        try (JournalLog log = JournalLog.open(log())) {
            log.append(List.of(block(1, 2)));
            first = log.size();
        }
        Files.write(log(), new byte[4096], java.nio.file.StandardOpenOption.APPEND);

        try (JournalLog log = JournalLog.open(log())) {
            assertThat(log.size()).isEqualTo(first);
        }
    }

    @Test
    void aDamagedRecordThatAWholeRecordFollowsStopsTheOpeningAndChangesNothing() throws IOException {
        threeRecords();
        long whole = Files.size(log());
        damageRecordAt(0);

        assertThatThrownBy(() -> JournalLog.open(log())).isInstanceOf(LedgerException.class)
                .hasMessageContaining(log().toString()).hasMessageContaining("damaged at byte 0")
                .hasMessageContaining("a whole record follows");
        assertThat(Files.size(log())).isEqualTo(whole);
    }

    @Test
    void recordsWithRowsMissingBetweenThemStopTheReading() throws IOException {
        try (JournalLog log = JournalLog.open(log())) {
            log.append(List.of(block(1, 2), block(4, 1)));
        }

        assertThatThrownBy(() -> JournalLog.readFile(log())).isInstanceOf(LedgerException.class)
                .hasMessageContaining("holds rows 4 to 4").hasMessageContaining("after row 2: rows are missing");
    }

    @Test
    void oneWriterAtATimeAndEmptyingLeavesNothing() throws IOException {
        try (JournalLog log = JournalLog.open(log())) {
            log.append(List.of(block(1, 2)));
            assertThatThrownBy(() -> JournalLog.open(log())).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("is locked by another process");
            log.clear();
            assertThat(log.isEmpty()).isTrue();
            assertThat(log.contents().entries()).isEmpty();
            log.append(List.of(block(3, 1)));
            assertThat(log.contents().entries()).extracting(JournalLog.Entry::firstSeq).containsExactly(3L);
        }
        assertThat(JournalLog.readFile(dir.resolve("none"))).isEqualTo(new JournalLog.Contents(List.of(), 0, 0, 0, 0));
    }

    @Test
    void consecutiveBlocksJoinIntoOneWithTheirTimes() {
        JournalBlock.Data joined = JournalBlock.Data.join(List.of(block(1, 2), block(3, 3)));

        assertThat(joined.firstSeq()).isEqualTo(1);
        assertThat(joined.lastSeq()).isEqualTo(5);
        assertThat(joined.firstAt()).isEqualTo(T);
        assertThat(joined.lastAt()).isEqualTo(T.plusSeconds(2));
        assertThat(JournalBlock.decode(1, 5, joined.bytes())).extracting(JournalBlock.Row::sessionId)
                .containsExactly("s;1", "s;2", "s;3", "s;4", "s;5");
        assertThat(JournalBlock.Data.of(1, 5, joined.bytes())).usingRecursiveComparison().isEqualTo(joined);
        assertThatThrownBy(() -> JournalBlock.Data.join(List.of(block(1, 2), block(4, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not follow row 2");
    }

    /** A block of one row whose body is {@code chars} letters, all {@code c}. */
    private static JournalBlock.Data bigBlock(long seq, int chars, char c) {
        return new JournalBlock.Builder().add(seq, "INTERIM", "s;" + seq, T, String.valueOf(c).repeat(chars)).build();
    }

    @Test
    void appendsOfEverySizeComeBackExactlyThroughTheBufferTheLogKeeps() throws IOException {
        // small, then larger (the kept buffer grows), then past what it keeps, then small again:
        // a record never carries bytes of the append before it
        List<JournalBlock.Data> appended = List.of(bigBlock(1, 10, 'a'), bigBlock(2, 200_000, 'b'),
                bigBlock(3, JournalLog.KEPT_BUFFER + 10, 'c'), bigBlock(4, 5, 'd'), bigBlock(5, 100_000, 'e'), bigBlock(6, 1, 'f'));
        try (JournalLog log = JournalLog.open(log())) {
            for (JournalBlock.Data d : appended) {
                log.append(List.of(d));
            }
            log.force();
        }

        JournalLog.Contents c = JournalLog.readFile(log());

        assertThat(c.tornEnd()).isFalse();
        assertThat(c.entries()).hasSize(appended.size());
        for (int i = 0; i < appended.size(); i++) {
            assertThat(c.entries().get(i).block()).as("record %d", i + 1).isEqualTo(appended.get(i).bytes());
            assertThat(c.entries().get(i).firstSeq()).isEqualTo(i + 1);
        }
    }

    /** Corrupts one byte of the block of the record at {@code offset}. */
    private void damageRecordAt(long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log().toFile(), "rw")) {
            f.seek(offset + JournalLog.HEADER + 16 + 3);
            int b = f.read();
            f.seek(offset + JournalLog.HEADER + 16 + 3);
            f.write(b ^ 0x5a);
        }
    }

    @Test
    void emptyingWritesAHeaderOverTheStartAndKeepsTheFileItsLength() throws IOException {
        long whole;
        try (JournalLog log = JournalLog.open(log())) {
            log.append(List.of(bigBlock(1, 3_000, 'a'), bigBlock(2, 3_000, 'b'), bigBlock(3, 3_000, 'c')));
            whole = log.size();
            log.clear();

            assertThat(Files.size(log())).isEqualTo(whole);
            assertThat(log.size()).isEqualTo(JournalLog.FLOOR_HEADER);
            assertThat(log.contents().entries()).as("the old records are left over, not rows").isEmpty();
            log.append(List.of(bigBlock(4, 10, 'd')));
            log.force();
            assertThat(Files.size(log())).as("written over, not appended").isEqualTo(whole);
        }

        JournalLog.Contents c = JournalLog.readFile(log());
        assertThat(c.entries()).extracting(JournalLog.Entry::firstSeq).containsExactly(4L);
        assertThat(c.recordsFrom()).isEqualTo(JournalLog.FLOOR_HEADER);
        assertThat(c.lastSeq()).isEqualTo(4);
        try (JournalLog log = JournalLog.open(log())) {
            assertThat(log.contents().entries()).extracting(JournalLog.Entry::firstSeq).containsExactly(4L);
            log.append(List.of(bigBlock(5, 10, 'e')));
        }
        assertThat(JournalLog.readFile(log()).entries()).extracting(JournalLog.Entry::firstSeq).containsExactly(4L, 5L);
    }

    @Test
    void aRecordTornAfterEmptyingEndsTheLogThoughOldWholeRecordsFollow() throws IOException {
        long second;
        try (JournalLog log = JournalLog.open(log())) {
            log.append(List.of(block(1, 2)));
            second = log.size();
            log.append(List.of(block(3, 3), block(6, 1)));
            log.clear();
            log.append(List.of(block(7, 2)));
            log.force();
        }
        // the new record of rows 7-8 torn: records of rows 3-5 and 6, left over, follow it whole
        damageRecordAt(JournalLog.FLOOR_HEADER);
        assertThat(JournalLog.readFile(log()).entries()).isEmpty();

        try (JournalLog log = JournalLog.open(log())) {
            assertThat(log.isEmpty()).isTrue();
            assertThat(log.contents().entries()).isEmpty();
        }
        assertThat(Files.size(log())).as("the torn end cut off").isEqualTo(JournalLog.FLOOR_HEADER);
        assertThat(second).isGreaterThan(JournalLog.FLOOR_HEADER);
    }

    @Test
    void damageThatAWholeNewRecordFollowsStillStopsTheOpeningAfterEmptying() throws IOException {
        long second;
        try (JournalLog log = JournalLog.open(log())) {
            log.append(List.of(block(1, 2)));
            log.clear();
            log.append(List.of(block(3, 1)));
            second = log.size();
            log.append(List.of(block(4, 1)));
            log.force();
        }
        damageRecordAt(JournalLog.FLOOR_HEADER);
        long whole = Files.size(log());

        assertThatThrownBy(() -> JournalLog.open(log())).isInstanceOf(LedgerException.class)
                .hasMessageContaining("damaged at byte " + JournalLog.FLOOR_HEADER)
                .hasMessageContaining("a whole record follows at byte " + second);
        assertThat(Files.size(log())).isEqualTo(whole);
    }

    @Test
    void rowsAppendedMustRiseAboveEveryRowTheLogHeld() throws IOException {
        try (JournalLog log = JournalLog.open(log())) {
            log.append(List.of(block(1, 3)));
            assertThatThrownBy(() -> log.append(List.of(block(3, 1)))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("held rows up to 3: rows 3 to 3 cannot follow them");
            log.clear();
            assertThatThrownBy(() -> log.append(List.of(block(2, 1)))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("held rows up to 3");
            log.append(List.of(block(4, 1)));
        }
        try (JournalLog log = JournalLog.open(log())) {
            assertThatThrownBy(() -> log.append(List.of(block(4, 1)))).as("the rows read count as held")
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("held rows up to 4");
            log.clear();
        }
        try (JournalLog log = JournalLog.open(log())) {
            assertThatThrownBy(() -> log.append(List.of(block(3, 1)))).as("the header's floor counts as held")
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("held rows up to 4");
        }
    }

    @Test
    void aDamagedHeaderStopsTheOpening() throws IOException {
        try (JournalLog log = JournalLog.open(log())) {
            log.append(List.of(block(1, 2)));
            log.clear();
            log.append(List.of(block(3, 1)));
        }
        try (RandomAccessFile f = new RandomAccessFile(log().toFile(), "rw")) {
            f.seek(9);
            int b = f.read();
            f.seek(9);
            f.write(b ^ 0x01);
        }

        assertThatThrownBy(() -> JournalLog.open(log())).isInstanceOf(LedgerException.class)
                .hasMessageContaining(log().toString()).hasMessageContaining("starts with a damaged header");
    }
}
