package org.arbiter.adapter.netconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.arbiter.adapter.netconf.FrameDecoder.Frame;

class FrameDecoderProperties {

    private static List<Frame> feed(FrameDecoder d, byte[] bytes, int step) {
        List<Frame> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += step) {
            d.decode(bytes, i, Math.min(step, bytes.length - i), out::add);
        }
        return out;
    }

    @Property(tries = 1000)
    void randomBytesNeverThrowInChunkedFraming(@ForAll @Size(max = 400) byte[] bytes,
                                               @ForAll @IntRange(min = 1, max = 64) int step) {
        FrameDecoder d = new FrameDecoder(256);
        d.useChunked();

        List<Frame> frames = feed(d, bytes, step);

        assertThat(frames.stream().filter(f -> f instanceof Frame.Malformed).count()).isLessThanOrEqualTo(1);
        assertThat(frames).allSatisfy(f -> assertThat(f).isInstanceOfAny(Frame.Message.class, Frame.Malformed.class));
    }

    @Property(tries = 500)
    void randomBytesNeverThrowInEndOfMessageFraming(@ForAll @Size(max = 400) byte[] bytes,
                                                    @ForAll @IntRange(min = 1, max = 64) int step) {
        List<Frame> frames = feed(new FrameDecoder(256), bytes, step);

        assertThat(frames).allSatisfy(f -> assertThat(f).isInstanceOfAny(Frame.Message.class, Frame.Malformed.class));
    }

    @Property(tries = 500)
    void anyMessagesSurviveChunkedEncodingAndAnySplitting(@ForAll @Size(min = 1, max = 5) List<@Size(min = 1, max = 300) byte[]> messages,
                                                          @ForAll @IntRange(min = 1, max = 97) int step) {
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        for (byte[] m : messages) {
            stream.writeBytes(Framing.CHUNKED.encode(m));
        }
        FrameDecoder d = new FrameDecoder(1024);
        d.useChunked();

        List<Frame> frames = feed(d, stream.toByteArray(), step);

        assertThat(frames).hasSize(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            assertThat(frames.get(i)).isInstanceOf(Frame.Message.class);
            assertThat(Arrays.equals(((Frame.Message) frames.get(i)).octets(), messages.get(i))).isTrue();
        }
    }
}
