package org.arbiter.adapter.netconf;

import java.nio.charset.StandardCharsets;

/**
 * The two message framings of NETCONF over SSH (RFC 6242 section 4): the base:1.0 end-of-message
 * marker and the base:1.1 chunked framing. The hello messages always use {@link #END_OF_MESSAGE};
 * the session switches both directions to {@link #CHUNKED} when both peers advertise base:1.1.
 *
 * <p>Encoding is stateless and thread-safe; decoding is {@link FrameDecoder}'s job.
 */
enum Framing {
    /** base:1.0: the message followed by {@code ]]>]]>} (RFC 6242 section 4.3). */
    END_OF_MESSAGE,
    /** base:1.1: {@code LF # size LF data ... LF ## LF} (RFC 6242 section 4.2). */
    CHUNKED;

    /** "end-of-message" or "chunked", for messages. */
    String label() {
        return this == END_OF_MESSAGE ? "end-of-message" : "chunked";
    }

    /** The base:1.0 end-of-message marker. */
    static final byte[] EOM = "]]>]]>".getBytes(StandardCharsets.US_ASCII);

    /** The largest chunk RFC 6242 allows (4294967295 octets). */
    static final long MAX_CHUNK_SIZE = 4_294_967_295L;

    /**
     * Frames one message. Chunked messages are sent as one chunk. The caller guarantees that an
     * end-of-message framed text does not contain {@code ]]>]]>}; the XML this adapter writes
     * escapes every {@code >} in character data, so it cannot.
     */
    byte[] encode(byte[] message) {
        if (this == END_OF_MESSAGE) {
            byte[] out = new byte[message.length + EOM.length];
            System.arraycopy(message, 0, out, 0, message.length);
            System.arraycopy(EOM, 0, out, message.length, EOM.length);
            return out;
        }
        if (message.length == 0) {
            throw new IllegalArgumentException("a chunked message needs at least one octet");
        }
        byte[] header = ("\n#" + message.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] trailer = "\n##\n".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + message.length + trailer.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(message, 0, out, header.length, message.length);
        System.arraycopy(trailer, 0, out, header.length + message.length, trailer.length);
        return out;
    }
}
