package org.arbiter.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.arbiter.core.ledger.Ledger.LedgerException;

/**
 * A journal log file beside an H2 ledger file ({@code <database>.journal.log.0} and {@code .1}):
 * the journal writer appends every group's blocks to one of them and forces it, which makes the
 * group durable; about every 200 ms the blocks logged since go into {@code journal_block} in one
 * H2 transaction, and the writer moves on to the other log while this one is emptied.
 *
 * <p><b>Why.</b> H2 rewrites the pages of every B-tree a commit touches, so a group commit cost the
 * writer about the same CPU whatever its size, and the writer commits once per force: most of the
 * full path's CPU at moderate rates. Appending to a file costs only the group's bytes.
 *
 * <pre>
 *   log     := [header] record*
 *   header  := magic(4 = "AJLH") floor(8) crc32c(4, of floor)
 *   record  := magic(4 = "AJL1") length(4) crc32c(4, of payload) payload
 *   payload := firstSeq(8) lastSeq(8) block        (block: {@link JournalBlock}'s format)
 * </pre>
 *
 * Numbers are big-endian. Records follow each other in row order with no gap. Rows it still holds
 * that the H2 file has too are passed over when it is read.
 *
 * <p><b>Emptied in place.</b> Once the blocks a log holds are in the H2 file and that file is
 * forced, the log is emptied by writing a header over its start, not by cutting the file: the
 * header's floor is the last row the log held, and the records after the header are written over
 * the old ones. A forced write within the file's length changes no metadata of the file system,
 * where one that lengthens the file also commits the file system's journal: on ext4 the log's
 * force took 0.41x to 0.61x the time (mean) in the full path, and it does not wait for the other
 * files' new blocks (the H2 file grows all the while). Reading stops at the first record whose
 * rows are at or below the floor or the rows read before it: what an earlier use of the file left
 * behind, rows the H2 file holds. Rows only ever grow ({@link #append} refuses rows at or below
 * the log's last), so no such record can be mistaken for a new one. A file without a header (a
 * new one) starts with its first record.
 *
 * <p><b>A damaged log.</b> A crash while a record was written leaves it torn; its rows were never
 * reported durable, and reading stops before it. A damaged record that a whole record with rows
 * above those read still follows is not a torn end: reading fails, naming the file and the offset,
 * rather than drop rows that were reported durable. A whole record with rows at or below them is
 * left over from an earlier use, and ends the log as a torn record does.
 *
 * <p>One process writes the log: opening it takes an exclusive lock of the file.
 */
final class JournalLog implements AutoCloseable {

    static final int MAGIC = 0x414A4C31;
    static final int HEADER = 12;
    /** The magic of the header that emptying writes ("AJLH"). */
    static final int FLOOR_MAGIC = 0x414A4C48;
    /** The length of that header. */
    static final int FLOOR_HEADER = 16;
    private static final int SEQS = 16;
    /** The largest payload a record may claim: a block is at most a few rows of 512 K characters. */
    static final int MAX_PAYLOAD = 64 * 1024 * 1024;

    /** One record: a block holding rows {@code firstSeq} to {@code lastSeq}. */
    record Entry(long firstSeq, long lastSeq, byte[] block) {}

    /**
     * What reading a log found: its records in order, where they start (after the header, if any)
     * and where the valid part ends, and the last row the file may hold (its last record's, or the
     * header's floor, or 0 for neither).
     */
    record Contents(List<Entry> entries, long recordsFrom, long validBytes, long fileBytes, long lastSeq) {
        boolean tornEnd() {
            return validBytes < fileBytes;
        }
    }

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    /** The largest buffer an append keeps for the next ones. */
    static final int KEPT_BUFFER = 1024 * 1024;

    /** The buffer of {@link #append}, kept from one append to the next; null before the first. */
    private ByteBuffer out;
    /** Bytes in the log: the writer's, read by it and by the thread that empties the log. */
    private volatile long size;
    /** Where the records start: after the header, or 0 in a file that has none. */
    private volatile long start;
    /** The last row the file may hold: the floor of its header, or the last row appended or read. */
    private volatile long lastSeq;

    private JournalLog(Path path, FileChannel channel, FileLock lock, Contents c) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.size = c.validBytes();
        this.start = c.recordsFrom();
        this.lastSeq = c.lastSeq();
    }

    /** Log {@code n} of the H2 database whose files are {@code database}{@code .mv.db} and so on. */
    static Path pathOf(String database, int n) {
        return Path.of(database + ".journal.log." + n);
    }

    /**
     * Opens the log for writing, locked against every other process, and cuts a torn end off.
     *
     * @throws LedgerException when the log is locked by another process, cannot be read or written, or is damaged
     */
    static JournalLog open(Path path) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new LedgerException("the journal log " + path + " is locked by another process: one process writes a journal ledger");
            }
            Contents c = read(ch, path);
            JournalLog log = new JournalLog(path, ch, lock, c);
            if (c.tornEnd()) {
                ch.truncate(c.validBytes());
                ch.force(true);
            }
            return log;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new LedgerException("opening the journal log " + path + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * Reads the log at {@code path} without locking it (a reader beside the writer); none is an
     * empty log. A read that finds damage is tried twice more: the writer may have emptied the log
     * and written it again while it was read.
     */
    static Contents readFile(Path path) {
        for (int attempt = 1; ; attempt++) {
            if (!Files.exists(path)) {
                return new Contents(List.of(), 0, 0, 0, 0);
            }
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                return read(ch, path);
            } catch (java.nio.file.NoSuchFileException e) {
                return new Contents(List.of(), 0, 0, 0, 0);
            } catch (IOException e) {
                throw new LedgerException("reading the journal log " + path + " failed: " + e.getMessage(), e);
            } catch (LedgerException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** The records of this log, read from its file. */
    Contents contents() {
        try {
            return read(channel, path);
        } catch (IOException e) {
            throw new LedgerException("reading the journal log " + path + " failed: " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /** Bytes in the log, its header included. */
    long size() {
        return size;
    }

    /** Whether the log holds no record. */
    boolean isEmpty() {
        return size <= start;
    }

    /**
     * Appends a record of each block, in one write; {@link #force} makes them durable. A failed
     * write is cut off the log again, as far as the file allows. Called by one thread at a time
     * (the journal writer): the records are put together in a buffer the log keeps.
     *
     * @throws IllegalArgumentException when the blocks' rows do not rise above every row the log held
     */
    void append(List<JournalBlock.Data> blocks) throws IOException {
        if (blocks.isEmpty()) {
            return;
        }
        long after = lastSeq;
        for (JournalBlock.Data d : blocks) {
            if (d.firstSeq() <= after) {
                throw new IllegalArgumentException("the journal log " + path + " held rows up to " + after
                        + ": rows " + d.firstSeq() + " to " + d.lastSeq() + " cannot follow them");
            }
            after = d.lastSeq();
        }
        int len = 0;
        for (JournalBlock.Data d : blocks) {
            len += HEADER + SEQS + d.bytes().length;
        }
        ByteBuffer buf = buffer(len);
        CRC32C crc = new CRC32C();
        for (JournalBlock.Data d : blocks) {
            int start = buf.position();
            buf.putInt(MAGIC).putInt(SEQS + d.bytes().length).putInt(0).putLong(d.firstSeq()).putLong(d.lastSeq()).put(d.bytes());
            crc.update(buf.duplicate().limit(buf.position()).position(start + HEADER));
            buf.putInt(start + 8, (int) crc.getValue());
            crc.reset();
        }
        buf.flip();
        long at = size;
        try {
            while (buf.hasRemaining()) {
                at += channel.write(buf, at);
            }
        } catch (IOException e) {
            try {
                channel.truncate(size);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        size = at;
        lastSeq = after;
    }

    /**
     * An empty buffer for {@code bytes}: the one this log keeps (direct memory, which the file
     * takes without a copy), grown as far as {@link #KEPT_BUFFER}; a larger append gets a buffer of
     * its own.
     */
    private ByteBuffer buffer(int bytes) {
        if (bytes > KEPT_BUFFER) {
            return ByteBuffer.allocate(bytes);
        }
        if (out == null || out.capacity() < bytes) {
            out = ByteBuffer.allocateDirect(Math.min(KEPT_BUFFER, Math.max(bytes, out == null ? 64 * 1024 : out.capacity() * 2)));
        }
        return out.clear();
    }

    /** Forces every record appended so far to the device. */
    void force() throws IOException {
        channel.force(false);
    }

    /**
     * Empties the log: every row it held is on disk elsewhere. Writes the header, with the last row
     * the log held as its floor, over the start of the file and forces it; the records after it
     * are written over the old ones.
     */
    void clear() throws IOException {
        ByteBuffer h = floorHeader(lastSeq);
        while (h.hasRemaining()) {
            channel.write(h, h.position());
        }
        channel.force(false);
        start = FLOOR_HEADER;
        size = FLOOR_HEADER;
    }

    private static ByteBuffer floorHeader(long floor) {
        ByteBuffer h = ByteBuffer.allocate(FLOOR_HEADER);
        h.putInt(FLOOR_MAGIC).putLong(floor);
        CRC32C crc = new CRC32C();
        crc.update(h.array(), 4, 8);
        return h.putInt((int) crc.getValue()).flip();
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing was written through it that is not forced
            }
        }
    }

    private static Contents read(FileChannel ch, Path path) throws IOException {
        long fileBytes = ch.size();
        if (fileBytes > Integer.MAX_VALUE) {
            throw new LedgerException("the journal log " + path + " is " + fileBytes + " bytes long: it is emptied every few "
                    + "hundred milliseconds, so it is not a journal log this ledger wrote");
        }
        ByteBuffer all = ByteBuffer.allocate((int) fileBytes);
        while (all.hasRemaining()) {
            if (ch.read(all, all.position()) < 0) {
                break;
            }
        }
        all.flip();
        byte[] bytes = all.array();
        int n = all.limit();
        int at = 0;
        long floor = 0;
        if (n >= 4 && ByteBuffer.wrap(bytes, 0, 4).getInt() == FLOOR_MAGIC) {
            floor = floor(bytes, n, path);
            at = FLOOR_HEADER;
        }
        int from = at;
        List<Entry> entries = new ArrayList<>();
        // the last row read, or the floor: a record at or below it is left over from an earlier use
        long last = floor;
        while (at < n) {
            Entry e = record(bytes, at, n);
            if (e != null && e.lastSeq() <= last) {
                break;
            }
            if (e == null) {
                int next = nextRecord(bytes, at + 1, n, last);
                if (next >= 0) {
                    throw new LedgerException("the journal log " + path + " is damaged at byte " + at + ", and a whole record "
                            + "follows at byte " + next + ": rows reported durable may be in it, so the ledger does not "
                            + "open (restore the log, or move it away to open without its rows)");
                }
                break;
            }
            if (!entries.isEmpty() && e.firstSeq() != last + 1) {
                throw new LedgerException("the journal log " + path + " holds rows " + e.firstSeq() + " to " + e.lastSeq()
                        + " at byte " + at + " after row " + last + ": rows are missing");
            }
            entries.add(e);
            last = e.lastSeq();
            at += HEADER + SEQS + e.block().length;
        }
        return new Contents(entries, from, at, n, last);
    }

    /** The floor of the header at the start of {@code b}. */
    private static long floor(byte[] b, int n, Path path) {
        if (n < FLOOR_HEADER) {
            throw new LedgerException("the journal log " + path + " starts with a header that is cut short (" + n + " bytes)");
        }
        ByteBuffer h = ByteBuffer.wrap(b, 0, FLOOR_HEADER);
        h.getInt();
        long floor = h.getLong();
        CRC32C c = new CRC32C();
        c.update(b, 4, 8);
        if ((int) c.getValue() != h.getInt() || floor < 0) {
            throw new LedgerException("the journal log " + path + " starts with a damaged header: which of its records are "
                    + "new cannot be told, so the ledger does not open (restore the log, or move it away to open without its rows)");
        }
        return floor;
    }

    /** The whole record at {@code at}, or null when there is none there (torn, damaged or not a record). */
    private static Entry record(byte[] b, int at, int n) {
        if (n - at < HEADER + SEQS) {
            return null;
        }
        ByteBuffer h = ByteBuffer.wrap(b, at, n - at);
        if (h.getInt() != MAGIC) {
            return null;
        }
        int length = h.getInt();
        int crc = h.getInt();
        if (length < SEQS || length > MAX_PAYLOAD || length > n - at - HEADER) {
            return null;
        }
        CRC32C c = new CRC32C();
        c.update(b, at + HEADER, length);
        if ((int) c.getValue() != crc) {
            return null;
        }
        long firstSeq = h.getLong();
        long lastSeq = h.getLong();
        if (firstSeq <= 0 || lastSeq < firstSeq) {
            return null;
        }
        byte[] block = new byte[length - SEQS];
        System.arraycopy(b, at + HEADER + SEQS, block, 0, block.length);
        return new Entry(firstSeq, lastSeq, block);
    }

    /** The offset of the first whole record from {@code from} on with rows above {@code above}, or -1. */
    private static int nextRecord(byte[] b, int from, int n, long above) {
        for (int i = from; i + HEADER + SEQS <= n; i++) {
            if (b[i] == 0x41) {
                Entry e = record(b, i, n);
                if (e != null && e.lastSeq() > above) {
                    return i;
                }
            }
        }
        return -1;
    }
}
