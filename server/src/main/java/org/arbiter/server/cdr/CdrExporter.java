package org.arbiter.server.cdr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arbiter.core.ledger.ChargingRecord;

/**
 * Copies billing records from the ledger (where they are written in the transaction that ends the
 * session) to rotating files, exactly once.
 *
 * <p>The exporter remembers the last record it wrote, as (stopped-at, record id), in a cursor file
 * next to the CDR files. Each pass reads the records after the cursor, appends them, forces the
 * file to disk and then moves the cursor (atomic rename). After a crash between those two steps,
 * the writer recovers the last complete record of the file left open (see
 * {@link RotatingCdrWriter#recovered()}) and the cursor moves past it before anything is read, so
 * no record is written twice and none is skipped.
 *
 * <p>Records are read only up to {@code now - lag}: a transaction that took its timestamp before
 * another but committed after it still lands before the cursor passes it.
 */
public final class CdrExporter implements AutoCloseable {

    /** Reads records with stopped-at in [from, to), ordered by (stopped-at, record id). */
    @FunctionalInterface
    public interface Source {
        List<ChargingRecord> read(Instant from, Instant to, int limit);
    }

    private final Source source;
    private final RotatingCdrWriter writer;
    private final Path cursorFile;
    private final Duration lag;
    private final Clock clock;
    private Instant cursorTime = Instant.EPOCH;
    private String cursorId = "";

    public CdrExporter(Source source, RotatingCdrWriter writer, Path dir, Duration lag, Clock clock) throws IOException {
        this.source = source;
        this.writer = writer;
        this.cursorFile = dir.resolve(".export-cursor");
        this.lag = lag;
        this.clock = clock;
        if (Files.exists(cursorFile)) {
            String[] parts = Files.readString(cursorFile, StandardCharsets.UTF_8).trim().split(" ", 2);
            try {
                cursorTime = Instant.parse(parts[0]);
                cursorId = parts.length > 1 ? parts[1] : "";
            } catch (java.time.format.DateTimeParseException e) {
                throw new IOException("the CDR export cursor " + cursorFile + " is damaged ('" + parts[0]
                        + "'); fix or remove it (removing re-exports every record)", e);
            }
        }
        RotatingCdrWriter.Position r = writer.recovered();
        if (r != null && (r.stoppedAt().isAfter(cursorTime)
                || (r.stoppedAt().equals(cursorTime) && r.recordId().compareTo(cursorId) > 0))) {
            moveCursor(r.stoppedAt(), r.recordId());
        }
    }

    /**
     * Exports what is new.
     *
     * @return the number of records written
     */
    public int exportOnce(int batch) throws IOException {
        Instant until = clock.instant().minus(lag);
        int total = 0;
        while (true) {
            if (!cursorTime.isBefore(until)) {
                break;
            }
            List<ChargingRecord> read = source.read(cursorTime, until, batch + 1);
            List<ChargingRecord> fresh = new ArrayList<>();
            for (ChargingRecord r : read) {
                int c = r.stoppedAt().compareTo(cursorTime);
                if (c > 0 || (c == 0 && r.recordId().compareTo(cursorId) > 0)) {
                    fresh.add(r);
                }
            }
            if (fresh.isEmpty()) {
                if (read.size() > batch) {
                    throw new IOException("more than " + batch + " records stopped at " + cursorTime + "; raise the batch size");
                }
                break;
            }
            writer.write(fresh);
            writer.sync();
            ChargingRecord last = fresh.getLast();
            moveCursor(last.stoppedAt(), last.recordId());
            total += fresh.size();
            if (read.size() <= batch) {
                break;
            }
        }
        writer.rotateIfDue();
        return total;
    }

    private void moveCursor(Instant t, String id) throws IOException {
        Path tmp = cursorFile.resolveSibling(".export-cursor.tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap((t + " " + id + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, cursorFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        cursorTime = t;
        cursorId = id;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
