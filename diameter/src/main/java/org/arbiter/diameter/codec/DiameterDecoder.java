package org.arbiter.diameter.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Objects;

/**
 * Splits a byte stream into Diameter messages (RFC 6733 §3). Emits a {@link DiameterMessage} for
 * every well-formed frame and an {@link InvalidMessage} for every malformed one; it never throws
 * for bad input.
 *
 * <p>State machine: {@code READ_HEADER} waits for the 20 header bytes and checks version and
 * Message Length against the limit given in the constructor; {@code READ_BODY} waits for the rest
 * of the frame and parses it; {@code DISCARD} is entered when the framing is lost (bad version,
 * bad or excessive length): one {@link InvalidMessage} with {@code framingLost} is emitted and
 * every later byte is dropped, so the next handler answers and closes the connection.
 *
 * <p>Not sharable: one instance per channel, used on its event loop only.
 */
public final class DiameterDecoder extends ByteToMessageDecoder {

    /** The largest Message Length the 24-bit field can carry. */
    public static final int MAX_POSSIBLE_SIZE = 0xFFFFFF;

    enum State { READ_HEADER, READ_BODY, DISCARD }

    private final Dictionary dictionary;
    private final int maxMessageSize;
    private State state = State.READ_HEADER;
    private int frameLength;

    /**
     * @param dictionary the AVPs known to this node
     * @param maxMessageSize the largest message accepted, 20 .. 16777215 bytes
     */
    public DiameterDecoder(Dictionary dictionary, int maxMessageSize) {
        this.dictionary = Objects.requireNonNull(dictionary, "dictionary");
        if (maxMessageSize < DiameterMessage.HEADER_LENGTH || maxMessageSize > MAX_POSSIBLE_SIZE) {
            throw new IllegalArgumentException("maxMessageSize must be 20.." + MAX_POSSIBLE_SIZE + ", was " + maxMessageSize);
        }
        this.maxMessageSize = maxMessageSize;
    }

    State state() {
        return state;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case READ_HEADER -> {
                if (in.readableBytes() < DiameterMessage.HEADER_LENGTH) {
                    return;
                }
                int at = in.readerIndex();
                int version = in.getUnsignedByte(at);
                int length = in.getUnsignedMedium(at + 1);
                String fault = null;
                int code = ProtocolResult.DIAMETER_INVALID_MESSAGE_LENGTH.code();
                if (version != 1) {
                    fault = "unsupported version " + version;
                    code = ProtocolResult.DIAMETER_UNSUPPORTED_VERSION.code();
                } else if (length < DiameterMessage.HEADER_LENGTH || length % 4 != 0) {
                    fault = "Message Length " + length + " must be >= 20 and a multiple of 4";
                } else if (length > maxMessageSize) {
                    fault = "Message Length " + length + " exceeds the limit of " + maxMessageSize + " bytes";
                }
                if (fault != null) {
                    out.add(new InvalidMessage(code, null, fault, true, in.getUnsignedByte(at + 4),
                            in.getUnsignedMedium(at + 5), in.getUnsignedInt(at + 8), in.getInt(at + 12), in.getInt(at + 16), List.of()));
                    state = State.DISCARD;
                    in.skipBytes(in.readableBytes());
                    return;
                }
                frameLength = length;
                state = State.READ_BODY;
                readBody(in, out);
            }
            case READ_BODY -> readBody(in, out);
            case DISCARD -> in.skipBytes(in.readableBytes());
        }
    }

    private void readBody(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < frameLength) {
            return;
        }
        out.add(FrameParser.parse(in.readSlice(frameLength), dictionary));
        state = State.READ_HEADER;
    }

    /**
     * Parses one complete frame outside a pipeline (tools and tests).
     *
     * @return a {@link DiameterMessage} or an {@link InvalidMessage}
     */
    public static Object parseFrame(byte[] frame, Dictionary dictionary) {
        if (frame.length < DiameterMessage.HEADER_LENGTH) {
            return new InvalidMessage(ProtocolResult.DIAMETER_INVALID_MESSAGE_LENGTH.code(), null,
                    "frame of " + frame.length + " bytes is shorter than the header", true, 0, 0, 0, 0, 0, List.of());
        }
        return FrameParser.parse(Unpooled.wrappedBuffer(frame), dictionary);
    }
}
