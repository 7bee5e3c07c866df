package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binary form of journal blocks: what goes in comes out, and damage fails naming itself. */
class JournalBlockTest {

    private static final Instant T = Instant.parse("2030-01-01T00:00:00.123456789Z");

    private static JournalBlock.Builder threeRows() {
        return new JournalBlock.Builder()
                .add(41, "ADMIT", "pcscf.example.net;1;2", T, "1\u001fADMITTED\u001fx")
                .add(42, "COMMIT", "pcscf.example.net;1;2", T.plusSeconds(1), "")
                .add(43, "REJECT", "sip:ünï©ødé😀", T.minusSeconds(5), "a\\\\b\u001f\\N");
    }

    @Test
    void rowsComeBackExactlyInOrderWithTheirNumbersTimesAndText() {
        JournalBlock.Builder b = threeRows();

        assertThat(b.firstSeq()).isEqualTo(41);
        assertThat(b.lastSeq()).isEqualTo(43);
        assertThat(b.firstAt()).isEqualTo(T.minusSeconds(5));
        assertThat(b.lastAt()).isEqualTo(T.plusSeconds(1));
        assertThat(JournalBlock.decode(41, 43, b.bytes())).containsExactly(
                new JournalBlock.Row(41, "ADMIT", "pcscf.example.net;1;2", T, "1\u001fADMITTED\u001fx"),
                new JournalBlock.Row(42, "COMMIT", "pcscf.example.net;1;2", T.plusSeconds(1), ""),
                new JournalBlock.Row(43, "REJECT", "sip:ünï©ødé😀", T.minusSeconds(5), "a\\\\b\u001f\\N"));
    }

    @Test
    void aBlockOfAQuarterMegabyteNeverTakesAHumongousBuffer() {
        JournalBlock.Builder b = new JournalBlock.Builder();
        String body = "x".repeat(1_500);
        long seq = 1;
        // as the writer fills a block: rows until it holds 256 KB or more
        while (b.size() < 256 * 1024) {
            b.add(seq++, "ADMIT", "s" + seq, T, body);
            assertThat(b.capacity()).as("after %d rows of %d bytes", seq - 1, b.size())
                    .isLessThanOrEqualTo(b.size() + JournalBlock.Builder.MAX_SLACK).isLessThan(512 * 1024);
        }
        assertThat(JournalBlock.decode(1, seq - 1, b.bytes())).hasSize((int) seq - 1);
    }

    @Test
    void everyKindAndTimesBeforeTheEpochComeBack() {
        JournalBlock.Builder b = new JournalBlock.Builder();
        List<String> kinds = List.of("ADMIT", "COMMIT", "RELEASE", "EXPIRE", "INTERIM", "REJECT");
        Instant early = Instant.ofEpochSecond(-1, 1);
        for (int i = 0; i < kinds.size(); i++) {
            b.add(i + 1, kinds.get(i), "s", early, "b");
        }
        assertThat(JournalBlock.decode(1, 6, b.bytes())).extracting(JournalBlock.Row::kind).containsExactlyElementsOf(kinds);
        assertThat(JournalBlock.decode(1, 6, b.bytes())).allMatch(r -> r.at().equals(early));
    }

    @Test
    void aBuilderRefusesAGapAndAnUnknownKind() {
        JournalBlock.Builder b = new JournalBlock.Builder().add(1, "ADMIT", "s", T, "");
        assertThatThrownBy(() -> b.add(3, "COMMIT", "s", T, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 3 does not follow row 1");
        assertThatThrownBy(() -> b.add(2, "DELETE", "s", T, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown journal row kind 'DELETE'");
        assertThat(new JournalBlock.Builder().isEmpty()).isTrue();
        assertThat(b.isEmpty()).isFalse();
    }

    @Test
    void aBlockWithFewerOrMoreRowsThanItsRangeFails() {
        byte[] bytes = threeRows().bytes();

        assertThatThrownBy(() -> JournalBlock.decode(41, 44, bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends inside a row");
        assertThatThrownBy(() -> JournalBlock.decode(41, 42, bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("follow row 42");
        assertThatThrownBy(() -> JournalBlock.decode(43, 41, bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no range");
    }

    @Test
    void anUnknownFormatOrKindFails() {
        byte[] bytes = threeRows().bytes();
        byte[] format = bytes.clone();
        format[0] = 2;
        byte[] kind = bytes.clone();
        kind[1] = 9;

        assertThatThrownBy(() -> JournalBlock.decode(41, 43, format)).hasMessageContaining("format 2, not 1");
        assertThatThrownBy(() -> JournalBlock.decode(41, 43, kind)).hasMessageContaining("row 41 has the unknown kind 9");
        assertThatThrownBy(() -> JournalBlock.decode(41, 43, new byte[0])).hasMessageContaining("ends inside a row");
    }

    @Test
    void aLengthPastTheEndANanosecondOutOfRangeOrBytesThatAreNotUtf8Fail() {
        byte[] bytes = new JournalBlock.Builder().add(7, "COMMIT", "ab", T, "cd").bytes();
        // version(1) kind(1) second(8) nano(4) = offset 14: the Session-Id's length, then "ab"
        byte[] length = bytes.clone();
        length[17] = 100;
        byte[] nano = bytes.clone();
        nano[10] = 0x7f;
        byte[] utf8 = bytes.clone();
        utf8[18] = (byte) 0xc3;
        utf8[19] = (byte) 0x28;

        assertThatThrownBy(() -> JournalBlock.decode(7, 7, length)).hasMessageContaining("row 7: the Session-Id is 100 bytes long");
        assertThatThrownBy(() -> JournalBlock.decode(7, 7, nano)).hasMessageContaining("row 7 has the nanosecond");
        assertThatThrownBy(() -> JournalBlock.decode(7, 7, utf8)).hasMessageContaining("row 7: the Session-Id is not UTF-8");
        assertThat(JournalBlock.decode(7, 7, bytes)).singleElement().extracting(JournalBlock.Row::sessionId).isEqualTo("ab");
    }

    @Test
    void aBlockGrowsPastItsFirstBufferAndReportsItsSize() {
        JournalBlock.Builder b = new JournalBlock.Builder();
        char[] big = new char[20_000];
        Arrays.fill(big, 'x');
        String body = new String(big);
        for (int i = 1; i <= 10; i++) {
            b.add(i, "INTERIM", "s" + i, T.plusSeconds(i), body);
        }
        assertThat(b.size()).isEqualTo(b.bytes().length).isGreaterThan(200_000);
        assertThat(JournalBlock.decode(1, 10, b.bytes())).hasSize(10).allMatch(r -> r.body().equals(body));
    }

    /** The bytes of a one-row block laid out by hand, its texts encoded by {@link String#getBytes}. */
    private static byte[] oneRowByHand(int kind, String sessionId, Instant at, String body) {
        byte[] session = sessionId.getBytes(StandardCharsets.UTF_8);
        byte[] text = body.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 1 + 8 + 4 + 4 + session.length + 4 + text.length)
                .put((byte) 1).put((byte) kind).putLong(at.getEpochSecond()).putInt(at.getNano())
                .putInt(session.length).put(session).putInt(text.length).put(text).array();
    }

    @Test
    void textsAreEncodedAsStringGetBytesEncodesThemUnpairedSurrogatesIncluded() {
        List<String> texts = List.of("", "ascii only", "ünï©ødé", "\u20ac \u4e2d\u6587 \uffff", "😀 and 𝄞",
                "high alone \ud83d", "\ud83d high then letter", "low alone \ude00 here", "\ude00\ud83d reversed",
                "\u007f\u0080\u07ff\u0800", "mixed ascii é then 😀 then \ud800");
        for (String text : texts) {
            // the body as the writer passes it: the builder of a record, not a string
            byte[] built = new JournalBlock.Builder().add(9, "RELEASE", text, T, new StringBuilder(text)).bytes();
            assertThat(built).as("'%s'", text).isEqualTo(oneRowByHand(3, text, T, text));
        }
    }

    @Test
    void aResetBuilderBuildsWhatANewOneBuildsAndLeavesTheBlocksBuiltBeforeAlone() {
        JournalBlock.Builder b = threeRows();
        JournalBlock.Data first = b.build();
        byte[] firstBytes = first.bytes().clone();

        b.reset().add(44, "RELEASE", "other", T.plusSeconds(9), "é".repeat(5_000));
        JournalBlock.Data second = b.build();

        assertThat(first.bytes()).isEqualTo(firstBytes).isEqualTo(threeRows().bytes());
        assertThat(second.bytes()).isEqualTo(new JournalBlock.Builder().add(44, "RELEASE", "other", T.plusSeconds(9), "é".repeat(5_000)).bytes());
        assertThat(second.firstSeq()).isEqualTo(44);
        assertThat(second.lastSeq()).isEqualTo(44);
        assertThat(second.firstAt()).isEqualTo(T.plusSeconds(9));
        assertThat(second.lastAt()).isEqualTo(T.plusSeconds(9));
        assertThat(b.reset().isEmpty()).isTrue();
    }

    @Test
    void aResetKeepsAGrownBufferUpToItsLimitAndDropsALargerOne() {
        JournalBlock.Builder b = new JournalBlock.Builder().add(1, "ADMIT", "s", T, "x".repeat(100_000));
        int grown = b.capacity();
        assertThat(grown).isGreaterThan(JournalBlock.Builder.INITIAL);
        assertThat(b.reset().capacity()).isEqualTo(grown);

        b.add(1, "ADMIT", "s", T, "x".repeat(JournalBlock.Builder.KEPT + 1));
        assertThat(b.reset().capacity()).isEqualTo(JournalBlock.Builder.INITIAL);
    }
}
