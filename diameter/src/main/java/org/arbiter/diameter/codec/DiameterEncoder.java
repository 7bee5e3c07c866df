package org.arbiter.diameter.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link DiameterMessage}s in wire format. Stateless and {@link Sharable}: one instance
 * serves every channel.
 */
@Sharable
public final class DiameterEncoder extends MessageToByteEncoder<DiameterMessage> {

    /** The shared instance. */
    public static final DiameterEncoder INSTANCE = new DiameterEncoder();

    private DiameterEncoder() {
        super(DiameterMessage.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, DiameterMessage msg, boolean preferDirect) {
        int len = msg.length();
        return preferDirect ? ctx.alloc().ioBuffer(len) : ctx.alloc().heapBuffer(len);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, DiameterMessage msg, ByteBuf out) {
        msg.encode(out);
    }

    /** The wire bytes of a message (tools and tests). */
    public static byte[] toBytes(DiameterMessage msg) {
        ByteBuf b = io.netty.buffer.Unpooled.buffer(msg.length());
        msg.encode(b);
        return io.netty.buffer.ByteBufUtil.getBytes(b);
    }
}
