package org.arbiter.server.cdr;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.arbiter.core.ledger.ChargingRecord;

/**
 * Writes billing records to files that billing mediation picks up.
 *
 * <p>Naming: a file being written is {@code cdr-<node>-<yyyyMMdd'T'HHmmss'Z'>-<seq>.<ext>.open};
 * when it is closed (size or age reached, or {@link #close()}), it is fsynced and renamed
 * atomically to {@code cdr-<node>-<...>-<seq>.<ext>}. Mediation reads only names without
 * {@code .open}; a closed file never changes again. Files left {@code .open} by a crash are
 * closed the same way at the next start.
 *
 * <p>A file left {@code .open} by a crash may end in a torn line: it is cut back to its last
 * complete record before it is sealed, and that record's position is {@link #recovered()}.
 *
 * <p>Each {@link #write} appends and flushes to the operating system; {@link #sync()} forces to
 * disk. Not thread-safe: one exporter thread owns it.
 */
public final class RotatingCdrWriter implements AutoCloseable {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final String OPEN = ".open";

    private final Path dir;
    private final String node;
    private final CdrFormat format;
    private final long maxBytes;
    private final Duration maxAge;
    private final Clock clock;
    private int seq;
    private Path current;
    private FileChannel channel;
    private Writer writer;
    private long bytes;
    private Instant openedAt;
    private Position recovered;

    /** Where an export stood: the last record of a file. */
    public record Position(Instant stoppedAt, String recordId) {}

    public RotatingCdrWriter(Path dir, String node, CdrFormat format, long maxBytes, Duration maxAge, Clock clock) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.node = node.replaceAll("[^A-Za-z0-9._-]", "_");
        this.format = format;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.clock = clock;
        try (var leftovers = Files.newDirectoryStream(this.dir, "cdr-*" + OPEN)) {
            for (Path p : leftovers) {
                Position last = repair(p);
                if (last != null && (recovered == null || last.stoppedAt().isAfter(recovered.stoppedAt())
                        || (last.stoppedAt().equals(recovered.stoppedAt()) && last.recordId().compareTo(recovered.recordId()) > 0))) {
                    recovered = last;
                }
                seal(p);
            }
        }
    }

    /** Appends records, rotating first when the current file is full or old. */
    public void write(List<ChargingRecord> records) throws IOException {
        for (ChargingRecord r : records) {
            rotateIfDue();
            if (writer == null) {
                open();
            }
            String line = format.line(r) + "\n";
            writer.write(line);
            bytes += line.getBytes(StandardCharsets.UTF_8).length;
        }
        if (writer != null) {
            writer.flush();
        }
    }

    /** Closes the current file when it is due even if nothing is written (called on a timer). */
    public void rotateIfDue() throws IOException {
        if (writer != null && (bytes >= maxBytes || !clock.instant().isBefore(openedAt.plus(maxAge)))) {
            closeCurrent();
        }
    }

    /** Forces what was written to disk. */
    public void sync() throws IOException {
        if (writer != null) {
            writer.flush();
            channel.force(true);
        }
    }

    private void open() throws IOException {
        openedAt = clock.instant();
        Path p;
        do {
            p = dir.resolve("cdr-" + node + "-" + STAMP.format(openedAt) + "-" + String.format("%04d", seq++) + "." + format.extension() + OPEN);
        } while (Files.exists(p) || Files.exists(sealedName(p)));
        current = p;
        channel = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        writer = java.nio.channels.Channels.newWriter(channel, StandardCharsets.UTF_8);
        bytes = 0;
        String header = format.header();
        if (header != null) {
            writer.write(header + "\n");
            bytes += header.length() + 1;
        }
    }

    /** The last complete record found in files left open by a crash, or {@code null}. */
    public Position recovered() {
        return recovered;
    }

    /** Cuts a torn last line and returns the position of the last complete record. */
    private Position repair(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        int end = all.length;
        while (end > 0 && all[end - 1] != '\n') {
            end--;
        }
        if (end < all.length) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.truncate(end);
                ch.force(true);
            }
        }
        String text = new String(all, 0, end, StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i];
            if (line.isBlank() || format.isHeader(line)) {
                continue;
            }
            return format.position(line);
        }
        return null;
    }

    private static Path sealedName(Path open) {
        String n = open.getFileName().toString();
        return open.resolveSibling(n.substring(0, n.length() - OPEN.length()));
    }

    private void closeCurrent() throws IOException {
        writer.flush();
        channel.force(true);
        writer.close();
        seal(current);
        writer = null;
        channel = null;
        current = null;
    }

    private static void seal(Path open) throws IOException {
        Files.move(open, sealedName(open), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The file being written, or {@code null}. */
    public Path current() {
        return current;
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            closeCurrent();
        }
    }
}
