package org.arbiter.adapter.pcmm.cops;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link CopsMessage}s in wire format. Stateless and {@link Sharable}: one instance serves
 * every channel. The values were checked when the records were built, so encoding cannot fail.
 */
@Sharable
public final class CopsEncoder extends MessageToByteEncoder<CopsMessage> {

    /** The shared instance. */
    public static final CopsEncoder INSTANCE = new CopsEncoder();

    private CopsEncoder() {
        super(CopsMessage.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, CopsMessage msg, boolean preferDirect) {
        int len = msg.length();
        return preferDirect ? ctx.alloc().ioBuffer(len) : ctx.alloc().heapBuffer(len);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, CopsMessage msg, ByteBuf out) {
        msg.encode(out);
    }

    /** The wire bytes of a message (tools and tests). */
    public static byte[] toBytes(CopsMessage msg) {
        ByteBuf b = Unpooled.buffer(msg.length());
        msg.encode(b);
        return ByteBufUtil.getBytes(b);
    }
}
