package org.arbiter.ledger;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary form of a run of consecutive journal rows, stored as one {@code journal_block} row.
 *
 * <p><b>Why blocks.</b> Written as one database row each, a journal row cost the writer about as
 * much CPU as the rest of a session's path: the table's B-tree and two secondary indexes were
 * serialised again at every group commit. A block is one row for everything a group wrote, a byte
 * array the database copies as it is; only the session index ({@code journal_session}) gets one
 * entry per session.
 *
 * <pre>
 *   block   := version(1 byte = 1) row*       rows numbered first_seq, first_seq + 1, ...
 *   row     := kind(1 byte) epochSecond(8) nano(4) sessionId(text) body(text)
 *   text    := length(4, bytes) UTF-8 bytes
 *   kind    := 1 ADMIT | 2 COMMIT | 3 RELEASE | 4 EXPIRE | 5 INTERIM | 6 REJECT
 * </pre>
 *
 * Numbers are big-endian. A block that is not exactly its rows (unknown version or kind, a length
 * past its end, bytes left over, a count other than its sequence range, text that is not UTF-8)
 * fails with {@link IllegalArgumentException} naming what is wrong.
 */
final class JournalBlock {

    static final byte VERSION = 1;
    /** Kinds by their code; index 0 is unused. */
    static final List<String> KINDS = List.of("", "ADMIT", "COMMIT", "RELEASE", "EXPIRE", "INTERIM", "REJECT");

    private JournalBlock() {}

    /** One journal row. */
    record Row(long seq, String kind, String sessionId, Instant at, String body) {}

    /** A whole block: the range and times of its rows, and its bytes. */
    record Data(long firstSeq, long lastSeq, Instant firstAt, Instant lastAt, byte[] bytes) {

        /**
         * The block holding rows {@code firstSeq} to {@code lastSeq} in {@code bytes}, its times read from its rows.
         *
         * @throws IllegalArgumentException when the bytes are not exactly those rows
         */
        static Data of(long firstSeq, long lastSeq, byte[] bytes) {
            Instant first = null;
            Instant last = null;
            for (Row r : decode(firstSeq, lastSeq, bytes)) {
                first = first == null || r.at().isBefore(first) ? r.at() : first;
                last = last == null || r.at().isAfter(last) ? r.at() : last;
            }
            return new Data(firstSeq, lastSeq, first, last, bytes);
        }

        /** One block of the rows of consecutive blocks, {@code run} in row order. */
        static Data join(List<Data> run) {
            if (run.size() == 1) {
                return run.getFirst();
            }
            int len = 1;
            for (Data d : run) {
                len += d.bytes().length - 1;
            }
            byte[] out = new byte[len];
            out[0] = VERSION;
            int at = 1;
            Instant first = run.getFirst().firstAt();
            Instant last = run.getFirst().lastAt();
            for (int i = 0; i < run.size(); i++) {
                Data d = run.get(i);
                if (i > 0 && d.firstSeq() != run.get(i - 1).lastSeq() + 1) {
                    throw new IllegalArgumentException("block of rows " + d.firstSeq() + " does not follow row "
                            + run.get(i - 1).lastSeq());
                }
                System.arraycopy(d.bytes(), 1, out, at, d.bytes().length - 1);
                at += d.bytes().length - 1;
                first = d.firstAt().isBefore(first) ? d.firstAt() : first;
                last = d.lastAt().isAfter(last) ? d.lastAt() : last;
            }
            return new Data(run.getFirst().firstSeq(), run.getLast().lastSeq(), first, last, out);
        }
    }

    /**
     * Builds one block; rows are added in sequence order. Texts are encoded as UTF-8 straight into
     * the buffer, as {@link String#getBytes} with {@link StandardCharsets#UTF_8} would encode them
     * (a surrogate without its pair becomes {@code ?}). A builder can be {@linkplain #reset reset}
     * and used for the next block: the journal writer keeps one, so that its buffer is not grown
     * again for every group.
     */
    static final class Builder {
        /** The most a growing buffer takes beyond what it must hold. */
        static final int MAX_SLACK = 64 * 1024;
        /** A new buffer's size. */
        static final int INITIAL = 8192;
        /** The largest buffer {@link #reset} keeps: a larger one (a block of a huge row) is dropped. */
        static final int KEPT = 320 * 1024;

        private byte[] buf = new byte[INITIAL];
        private int len;
        private long firstSeq = -1;
        private long lastSeq;
        private Instant firstAt;
        private Instant lastAt;

        Builder() {
            buf[len++] = VERSION;
        }

        /** Empties the builder for the next block, keeping its buffer unless that grew past {@link #KEPT}. */
        Builder reset() {
            if (buf.length > KEPT) {
                buf = new byte[INITIAL];
            }
            len = 0;
            buf[len++] = VERSION;
            firstSeq = -1;
            lastSeq = 0;
            firstAt = null;
            lastAt = null;
            return this;
        }

        /** Adds the row numbered {@code seq}, which must follow the last one added. */
        Builder add(long seq, String kind, String sessionId, Instant at, CharSequence body) {
            if (firstSeq >= 0 && seq != lastSeq + 1) {
                throw new IllegalArgumentException("row " + seq + " does not follow row " + lastSeq + " in a block");
            }
            int code = KINDS.indexOf(kind);
            if (code <= 0) {
                throw new IllegalArgumentException("unknown journal row kind '" + kind + "'");
            }
            ensure(1 + 8 + 4);
            buf[len++] = (byte) code;
            putLong(at.getEpochSecond());
            putInt(at.getNano());
            putText(sessionId);
            putText(body);
            if (firstSeq < 0) {
                firstSeq = seq;
                firstAt = at;
                lastAt = at;
            }
            lastSeq = seq;
            if (at.isBefore(firstAt)) {
                firstAt = at;
            }
            if (at.isAfter(lastAt)) {
                lastAt = at;
            }
            return this;
        }

        boolean isEmpty() {
            return firstSeq < 0;
        }

        /** Bytes so far. */
        int size() {
            return len;
        }

        /** The buffer's length (for tests). */
        int capacity() {
            return buf.length;
        }

        long firstSeq() {
            return firstSeq;
        }

        long lastSeq() {
            return lastSeq;
        }

        /** The earliest time of its rows. */
        Instant firstAt() {
            return firstAt;
        }

        /** The latest time of its rows. */
        Instant lastAt() {
            return lastAt;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, len);
        }

        /** The block built. */
        Data build() {
            return new Data(firstSeq, lastSeq, firstAt, lastAt, bytes());
        }

        /**
         * Grows the buffer to fit {@code more} bytes: doubling, but never by more than
         * {@link #MAX_SLACK} beyond the need, so that a block of about 256 KB never takes a
         * buffer of 512 KB (half a 1 MB G1 region: a humongous object, whose allocation starts
         * a collection).
         */
        private void ensure(int more) {
            int need = len + more;
            if (need > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(need, Math.min(buf.length * 2, need + MAX_SLACK)));
            }
        }

        /** A text: its length in bytes, then its UTF-8 bytes. */
        private void putText(CharSequence s) {
            int n = s.length();
            ensure(4 + n);
            int at = len;
            len += 4;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    buf[len++] = (byte) c;
                    continue;
                }
                // at most 3 bytes per UTF-16 unit from here on (4 for a pair of 2)
                ensure(3 * (n - i));
                if (c < 0x800) {
                    buf[len++] = (byte) (0xC0 | c >> 6);
                    buf[len++] = (byte) (0x80 | c & 0x3F);
                } else if (!Character.isSurrogate(c)) {
                    buf[len++] = (byte) (0xE0 | c >> 12);
                    buf[len++] = (byte) (0x80 | c >> 6 & 0x3F);
                    buf[len++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    buf[len++] = (byte) (0xF0 | cp >> 18);
                    buf[len++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    buf[len++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    buf[len++] = (byte) (0x80 | cp & 0x3F);
                } else {
                    buf[len++] = '?';
                }
            }
            int bytes = len - at - 4;
            buf[at] = (byte) (bytes >>> 24);
            buf[at + 1] = (byte) (bytes >>> 16);
            buf[at + 2] = (byte) (bytes >>> 8);
            buf[at + 3] = (byte) bytes;
        }

        private void putInt(int v) {
            buf[len++] = (byte) (v >>> 24);
            buf[len++] = (byte) (v >>> 16);
            buf[len++] = (byte) (v >>> 8);
            buf[len++] = (byte) v;
        }

        private void putLong(long v) {
            putInt((int) (v >>> 32));
            putInt((int) v);
        }
    }

    /** The statement that stores a block; {@link #insert} binds a built block to it and runs it. */
    static final String INSERT = "INSERT INTO journal_block (first_seq, last_seq, first_at, last_at, data) VALUES (?, ?, ?, ?, ?)";

    static void insert(PreparedStatement ps, Builder b) throws SQLException {
        insert(ps, b.build());
    }

    static void insert(PreparedStatement ps, Data d) throws SQLException {
        ps.setLong(1, d.firstSeq());
        ps.setLong(2, d.lastSeq());
        ps.setTimestamp(3, Timestamp.from(d.firstAt()));
        ps.setTimestamp(4, Timestamp.from(d.lastAt()));
        ps.setBytes(5, d.bytes());
        ps.executeUpdate();
    }

    /**
     * The rows of a block holding rows {@code firstSeq} to {@code lastSeq}.
     *
     * @throws IllegalArgumentException when the bytes are not exactly those rows
     */
    static List<Row> decode(long firstSeq, long lastSeq, byte[] data) {
        if (lastSeq < firstSeq || lastSeq - firstSeq >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the block's rows " + firstSeq + " to " + lastSeq + " are no range");
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        // one strict decoder for the block: a replay decodes millions of fields
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("the block has format " + version + ", not " + VERSION);
            }
            List<Row> rows = new ArrayList<>((int) (lastSeq - firstSeq + 1));
            for (long seq = firstSeq; seq <= lastSeq; seq++) {
                int code = in.get();
                if (code <= 0 || code >= KINDS.size()) {
                    throw new IllegalArgumentException("row " + seq + " has the unknown kind " + code);
                }
                long second = in.getLong();
                int nano = in.getInt();
                if (nano < 0 || nano > 999_999_999) {
                    throw new IllegalArgumentException("row " + seq + " has the nanosecond " + nano);
                }
                Instant at = Instant.ofEpochSecond(second, nano);
                String sessionId = text(in, utf8, seq, "Session-Id");
                String body = text(in, utf8, seq, "body");
                rows.add(new Row(seq, KINDS.get(code), sessionId, at, body));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " byte(s) follow row " + lastSeq + ", the block's last");
            }
            return rows;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the block ends inside a row (" + data.length + " bytes for rows "
                    + firstSeq + " to " + lastSeq + ")");
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("a row's time is out of range: " + e.getMessage());
        }
    }

    private static String text(ByteBuffer in, CharsetDecoder utf8, long seq, String what) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("row " + seq + ": the " + what + " is " + n + " bytes long, past the block's end");
        }
        ByteBuffer slice = in.slice(in.position(), n);
        in.position(in.position() + n);
        try {
            return utf8.decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("row " + seq + ": the " + what + " is not UTF-8");
        }
    }
}
