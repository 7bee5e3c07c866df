package org.arbiter.adapter.netconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.arbiter.adapter.netconf.FrameDecoder.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FrameDecoderTest {

    /** RFC 6242 section 4.2, the example of a message in three chunks. */
    private static final String RFC_6242_CHUNKED = "\n#4\n<rpc\n#18\n message-id=\"102\"\n\n#79\n"
            + "     xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n  <close-session/>\n</rpc>\n##\n";

    private static final String RFC_6242_MESSAGE = "<rpc message-id=\"102\"\n"
            + "     xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n  <close-session/>\n</rpc>";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Frame> decode(FrameDecoder d, byte[]... reads) {
        List<Frame> out = new ArrayList<>();
        for (byte[] r : reads) {
            d.decode(r, 0, r.length, out::add);
        }
        return out;
    }

    private static String text(Frame f) {
        assertThat(f).isInstanceOf(Frame.Message.class);
        return new String(((Frame.Message) f).octets(), StandardCharsets.UTF_8);
    }

    private static FrameDecoder chunked() {
        FrameDecoder d = new FrameDecoder(1 << 16);
        d.useChunked();
        return d;
    }

    @Test
    void endOfMessageFramingSplitsTwoMessagesOfOneRead() {
        List<Frame> frames = decode(new FrameDecoder(1024), bytes("<a/>]]>]]><b/>]]>]]>"));

        assertThat(frames).extracting(FrameDecoderTest::text).containsExactly("<a/>", "<b/>");
    }

    @Test
    void endOfMessageMarkerSplitAcrossReadsIsFound() {
        FrameDecoder d = new FrameDecoder(1024);
        List<Frame> frames = decode(d, bytes("<a>]]>]"), bytes("]]"), bytes(">]]>"), bytes("<b/>]]>]]"), bytes(">"));

        assertThat(frames).extracting(FrameDecoderTest::text).containsExactly("<a>]]>]", "<b/>");
    }

    @Test
    void endOfMessageTextWaitsForTheMarker() {
        FrameDecoder d = new FrameDecoder(1024);

        assertThat(decode(d, bytes("<hello/>]]>]]"))).isEmpty();
        assertThat(d.state()).isEqualTo(FrameDecoder.State.EOM_BODY);
    }

    @Test
    void rfc6242ChunkedExampleDecodesToItsMessage() {
        assertThat(decode(chunked(), bytes(RFC_6242_CHUNKED))).extracting(FrameDecoderTest::text)
                .containsExactly(RFC_6242_MESSAGE);
    }

    static IntStream splitPoints() {
        return IntStream.rangeClosed(0, RFC_6242_CHUNKED.length());
    }

    @ParameterizedTest
    @MethodSource("splitPoints")
    void chunkedMessageSplitAtAnyOctetDecodesTheSame(int split) {
        byte[] all = bytes(RFC_6242_CHUNKED);
        byte[] first = java.util.Arrays.copyOfRange(all, 0, split);
        byte[] second = java.util.Arrays.copyOfRange(all, split, all.length);

        assertThat(decode(chunked(), first, second)).extracting(FrameDecoderTest::text).containsExactly(RFC_6242_MESSAGE);
    }

    @Test
    void chunkedMessagesFollowEachOtherInOneRead() {
        assertThat(decode(chunked(), bytes("\n#3\n<a/\n#1\n>\n##\n\n#4\n<b/>\n##\n")))
                .extracting(FrameDecoderTest::text).containsExactly("<a/>", "<b/>");
    }

    @Test
    void helloThenChunkedMessageInOneReadSwitchesFramingInTheCallback() {
        FrameDecoder d = new FrameDecoder(1024);
        List<String> seen = new ArrayList<>();
        byte[] read = bytes("<hello/>]]>]]>\n#5\n<ok/>\n##\n");

        d.decode(read, 0, read.length, f -> {
            seen.add(text(f));
            if (seen.size() == 1) {
                d.useChunked();
            }
        });

        assertThat(seen).containsExactly("<hello/>", "<ok/>");
        assertThat(d.framing()).isEqualTo(Framing.CHUNKED);
    }

    @Test
    void framingCannotChangeInsideAMessage() {
        FrameDecoder d = new FrameDecoder(1024);
        decode(d, bytes("<hel"));

        assertThatThrownBy(d::useChunked).isInstanceOf(IllegalStateException.class).hasMessageContaining("between messages");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no LF before the header         | X#4\\n<ok/>\\n##\\n            | expected LF before a chunk header",
        "no hash in the header           | \\nX4\\n<ok/>\\n##\\n          | expected '#'",
        "chunk size zero                 | \\n#0\\n                      | expected a chunk size (1-9)",
        "chunk size with a leading zero  | \\n#04\\n<ok/                 | expected a chunk size (1-9)",
        "letter in the chunk size        | \\n#4a\\n<ok/>               | expected a digit or LF",
        "chunk size above 4294967295     | \\n#4294967296\\n             | chunk size above 4294967295",
        "eleven digit chunk size         | \\n#10000000000\\n            | chunk size above 4294967295",
        "end of chunks without a chunk   | \\n##\\n                      | end-of-chunks before any chunk",
        "no LF after the end of chunks   | \\n#1\\nx\\n##X                 | expected LF after '##'",
        "data longer than the chunk size | \\n#2\\n<ok/>\\n##\\n            | expected LF before a chunk header",
    })
    void malformedChunkedFramingGivesOneMalformedFrame(String what, String input, String reason) {
        List<Frame> frames = decode(chunked(), bytes(input.replace("\\n", "\n")));

        assertThat(frames).singleElement().isInstanceOfSatisfying(Frame.Malformed.class,
                m -> assertThat(m.reason()).contains(reason));
    }

    @Test
    void afterMalformedFramingNothingMoreIsDecoded() {
        FrameDecoder d = chunked();

        List<Frame> frames = decode(d, bytes("\n#x"), bytes("\n#4\n<ok/>\n##\n"));

        assertThat(frames).singleElement().isInstanceOf(Frame.Malformed.class);
        assertThat(d.state()).isEqualTo(FrameDecoder.State.FAILED);
    }

    @Test
    void chunkBeyondTheMessageLimitIsMalformed() {
        FrameDecoder d = new FrameDecoder(100);
        d.useChunked();

        assertThat(decode(d, bytes("\n#60\n" + "x".repeat(60) + "\n#41\n"))).singleElement()
                .isInstanceOfSatisfying(Frame.Malformed.class, m -> assertThat(m.reason()).contains("larger than 100"));
    }

    @Test
    void endOfMessageTextBeyondTheLimitIsMalformed() {
        FrameDecoder d = new FrameDecoder(100);

        assertThat(decode(d, bytes("x".repeat(200)))).singleElement()
                .isInstanceOfSatisfying(Frame.Malformed.class, m -> assertThat(m.reason()).contains("larger than 100"));
    }

    @Test
    void messageExactlyAtTheLimitIsAccepted() {
        FrameDecoder d = new FrameDecoder(100);
        d.useChunked();

        assertThat(decode(d, bytes("\n#100\n" + "y".repeat(100) + "\n##\n"))).singleElement()
                .satisfies(f -> assertThat(text(f)).hasSize(100));
    }

    @Test
    void encodedMessagesDecodeToThemselvesInBothFramings() {
        byte[] msg = bytes("<rpc-reply message-id=\"7\"><data>\n#3\n]]></data></rpc-reply>");
        FrameDecoder eom = new FrameDecoder(1024);
        FrameDecoder chunked = chunked();

        assertThat(decode(chunked, Framing.CHUNKED.encode(msg))).extracting(FrameDecoderTest::text)
                .containsExactly(new String(msg, StandardCharsets.UTF_8));
        assertThat(decode(eom, Framing.END_OF_MESSAGE.encode(bytes("<ok/>")))).extracting(FrameDecoderTest::text)
                .containsExactly("<ok/>");
    }

    @Test
    void chunkedEncodingHasTheRfc6242Header() {
        assertThat(new String(Framing.CHUNKED.encode(bytes("<ok/>")), StandardCharsets.US_ASCII))
                .isEqualTo("\n#5\n<ok/>\n##\n");
        assertThat(new String(Framing.END_OF_MESSAGE.encode(bytes("<ok/>")), StandardCharsets.US_ASCII))
                .isEqualTo("<ok/>]]>]]>");
    }
}
