package org.arbiter.adapter.netconf;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * Splits the byte stream of a NETCONF SSH channel into messages (RFC 6242 section 4).
 *
 * <h2>Design</h2>
 * A stateful decoder with an explicit state, fed with whatever the channel delivers (one byte or
 * many messages at a time). It emits one {@link Frame} per message: a {@link Frame.Message} with
 * the message octets, or one {@link Frame.Malformed} after which it ignores all input, because a
 * byte stream cannot be resynchronised reliably after a framing error; the session is then closed.
 *
 * <pre>
 * end-of-message (base:1.0)          chunked (base:1.1, RFC 6242 section 4.2)
 *   EOM_BODY --"]]&gt;]]&gt;"--&gt; emit       CHUNK_LF --LF--&gt; CHUNK_HASH --"#"--&gt; CHUNK_SIZE_OR_END
 *                                     CHUNK_SIZE_OR_END --DIGIT1--&gt; CHUNK_SIZE --LF--&gt; CHUNK_DATA
 *                                     CHUNK_SIZE_OR_END --"#"--&gt; END_LF --LF--&gt; emit, CHUNK_LF
 *                                     CHUNK_DATA --size octets--&gt; CHUNK_LF
 *   any state --bad octet, size or limit--&gt; FAILED (absorbing)
 * </pre>
 *
 * <p>Departures from the RFC: none in the grammar. Limits of our own: a message larger than
 * {@code maxMessageBytes} is malformed (the RFC sets no limit), and so is a chunk-size with more
 * than 10 digits or above 4294967295 (the RFC's maximum). The RFC allows a peer to stop at any
 * octet, so a truncated frame is simply waiting for more input.
 *
 * <p>The framing switches with {@link #useChunked()}, which the hello handler calls from inside
 * the {@code Consumer} while the server's hello is being delivered, so the octets that follow the
 * hello in the same read are already decoded as chunks.
 *
 * <p><b>Threading.</b> Not thread-safe; the SSH channel delivers data sequentially.
 */
final class FrameDecoder {

    /** One decoded frame. */
    sealed interface Frame {
        /** A complete message (the octets between the framing). */
        record Message(byte[] octets) implements Frame { }

        /** The stream broke the framing rules; no more frames follow. */
        record Malformed(String reason) implements Frame { }
    }

    /** Where the decoder is in the grammar. */
    enum State { EOM_BODY, CHUNK_LF, CHUNK_HASH, CHUNK_SIZE_OR_END, CHUNK_SIZE, CHUNK_DATA, END_LF, FAILED }

    private static final int MAX_SIZE_DIGITS = 10;
    /** {@code ]]>]]>} as the low 48 bits of a long, compared with the last six octets seen. */
    private static final long EOM_BITS = 0x5D5D3E5D5D3EL;

    private final int maxMessageBytes;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private State state = State.EOM_BODY;
    private long chunkSize;
    private int sizeDigits;
    private long chunkRemaining;
    private int chunks;
    private long lastSix;
    private long bodyOctets;

    /**
     * @param maxMessageBytes the largest message accepted, in octets (framing excluded)
     */
    FrameDecoder(int maxMessageBytes) {
        if (maxMessageBytes < 16) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 16, was " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The current state (for tests and diagnostics). */
    State state() {
        return state;
    }

    /** The current framing. */
    Framing framing() {
        return state == State.EOM_BODY ? Framing.END_OF_MESSAGE : Framing.CHUNKED;
    }

    /**
     * Switches to chunked framing. Only allowed between messages of the end-of-message framing,
     * with nothing of the next message read yet.
     */
    void useChunked() {
        if (state != State.EOM_BODY || bodyOctets != 0) {
            throw new IllegalStateException("framing can only change between messages (state " + state + ")");
        }
        state = State.CHUNK_LF;
    }

    /** Decodes {@code len} octets from {@code data[off]}, emitting every frame they complete. */
    void decode(byte[] data, int off, int len, Consumer<Frame> out) {
        int i = off;
        int end = off + len;
        while (i < end) {
            switch (state) {
                case FAILED -> {
                    return;
                }
                case EOM_BODY -> i = eomBody(data, i, end, out);
                case CHUNK_DATA -> {
                    int n = (int) Math.min(chunkRemaining, end - i);
                    message.write(data, i, n);
                    chunkRemaining -= n;
                    i += n;
                    if (chunkRemaining == 0) {
                        state = State.CHUNK_LF;
                    }
                }
                default -> {
                    header(data[i], out);
                    i++;
                }
            }
        }
    }

    private int eomBody(byte[] data, int i, int end, Consumer<Frame> out) {
        int start = i;
        while (i < end) {
            lastSix = ((lastSix << 8) | (data[i++] & 0xff)) & 0xFFFF_FFFF_FFFFL;
            bodyOctets++;
            if (bodyOctets >= Framing.EOM.length && lastSix == EOM_BITS) {
                message.write(data, start, i - start);
                byte[] all = message.toByteArray();
                byte[] octets = new byte[all.length - Framing.EOM.length];
                System.arraycopy(all, 0, octets, 0, octets.length);
                message.reset();
                lastSix = 0;
                bodyOctets = 0;
                out.accept(new Frame.Message(octets));
                return i;
            }
            if (bodyOctets > (long) maxMessageBytes + Framing.EOM.length) {
                fail("message larger than " + maxMessageBytes + " octets without an end-of-message marker", out);
                return end;
            }
        }
        message.write(data, start, i - start);
        return i;
    }

    private void header(byte b, Consumer<Frame> out) {
        switch (state) {
            case CHUNK_LF -> {
                if (b == '\n') {
                    state = State.CHUNK_HASH;
                } else {
                    fail("expected LF before a chunk header, got " + shown(b), out);
                }
            }
            case CHUNK_HASH -> {
                if (b == '#') {
                    state = State.CHUNK_SIZE_OR_END;
                } else {
                    fail("expected '#' in a chunk header, got " + shown(b), out);
                }
            }
            case CHUNK_SIZE_OR_END -> {
                if (b == '#') {
                    if (chunks == 0) {
                        fail("end-of-chunks before any chunk", out);
                    } else {
                        state = State.END_LF;
                    }
                } else if (b >= '1' && b <= '9') {
                    chunkSize = b - '0';
                    sizeDigits = 1;
                    state = State.CHUNK_SIZE;
                } else {
                    fail("expected a chunk size (1-9) or '#', got " + shown(b), out);
                }
            }
            case CHUNK_SIZE -> {
                if (b >= '0' && b <= '9') {
                    sizeDigits++;
                    chunkSize = chunkSize * 10 + (b - '0');
                    if (sizeDigits > MAX_SIZE_DIGITS || chunkSize > Framing.MAX_CHUNK_SIZE) {
                        fail("chunk size above " + Framing.MAX_CHUNK_SIZE, out);
                    }
                } else if (b == '\n') {
                    if ((long) message.size() + chunkSize > maxMessageBytes) {
                        fail("message larger than " + maxMessageBytes + " octets (chunk of " + chunkSize + ")", out);
                    } else {
                        chunkRemaining = chunkSize;
                        chunks++;
                        state = State.CHUNK_DATA;
                    }
                } else {
                    fail("expected a digit or LF in a chunk size, got " + shown(b), out);
                }
            }
            case END_LF -> {
                if (b == '\n') {
                    byte[] octets = message.toByteArray();
                    message.reset();
                    chunks = 0;
                    state = State.CHUNK_LF;
                    out.accept(new Frame.Message(octets));
                } else {
                    fail("expected LF after '##', got " + shown(b), out);
                }
            }
            default -> throw new IllegalStateException("not a header state: " + state);
        }
    }

    private void fail(String reason, Consumer<Frame> out) {
        state = State.FAILED;
        message.reset();
        bodyOctets = 0;
        out.accept(new Frame.Malformed(reason));
    }

    private static String shown(byte b) {
        int v = b & 0xff;
        return v >= 0x20 && v < 0x7f ? "'" + (char) v + "'" : String.format("0x%02x", v);
    }
}
