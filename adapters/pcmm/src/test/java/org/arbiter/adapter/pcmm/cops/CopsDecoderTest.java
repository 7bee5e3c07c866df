package org.arbiter.adapter.pcmm.cops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopsDecoderTest {

    private static final HexFormat HEX = HexFormat.of();

    private static CopsMessage opn() {
        return new CopsMessage(false, CopsOpCode.OPN, CopsMessage.CLIENT_TYPE_PCMM, List.of(new CopsObject.PepId("cmts-7"),
                new CopsObject.ClientSI(CopsObject.ClientSI.SIGNALED, HEX.parseHex("0008100100050000"))));
    }

    private static CopsMessage dec() {
        return new CopsMessage(false, CopsOpCode.DEC, CopsMessage.CLIENT_TYPE_PCMM, List.of(new CopsObject.Handle(HEX.parseHex("0a0b0c0d")),
                new CopsObject.Context(CopsObject.Context.CONFIGURATION, 0),
                new CopsObject.DecisionFlags(CopsObject.DecisionFlags.Command.INSTALL, 0),
                new CopsObject.DecisionData(CopsObject.DecisionData.CLIENT_SPECIFIC, HEX.parseHex("0008010100070004"))));
    }

    private static List<Object> feed(byte[]... chunks) {
        EmbeddedChannel ch = new EmbeddedChannel(new CopsDecoder(1024));
        for (byte[] c : chunks) {
            ch.writeInbound(Unpooled.wrappedBuffer(c));
        }
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o);
        }
        ch.finishAndReleaseAll();
        return out;
    }

    private static InvalidCopsMessage invalid(byte[] frame) {
        List<Object> out = feed(frame);
        assertThat(out).singleElement().isInstanceOf(InvalidCopsMessage.class);
        return (InvalidCopsMessage) out.get(0);
    }

    @Test
    void keepAliveEncodesAsEightHeaderBytes() {
        CopsMessage ka = new CopsMessage(true, CopsOpCode.KA, 0, List.of());

        assertThat(HEX.formatHex(CopsEncoder.toBytes(ka))).isEqualTo("1109000000000008");
    }

    @Test
    void clientAcceptCarriesTheKaTimerInItsLowHalf() {
        CopsMessage cat = new CopsMessage(true, CopsOpCode.CAT, CopsMessage.CLIENT_TYPE_PCMM, List.of(new CopsObject.KaTimer(30)));

        assertThat(HEX.formatHex(CopsEncoder.toBytes(cat))).isEqualTo("1107800a00000010" + "00080a01" + "0000001e");
    }

    @Test
    void pepIdIsNulTerminatedAndPaddedButItsLengthExcludesThePadding() {
        byte[] b = CopsEncoder.toBytes(new CopsMessage(false, CopsOpCode.OPN, CopsMessage.CLIENT_TYPE_PCMM,
                List.of(new CopsObject.PepId("cmts-7"))));

        assertThat(HEX.formatHex(b)).isEqualTo("1006800a00000014" + "000b0b01" + HEX.formatHex("cmts-7".getBytes()) + "00" + "00");
    }

    @Test
    void decisionRoundTrips() {
        assertThat(feed(CopsEncoder.toBytes(dec()))).containsExactly(dec());
    }

    @Test
    void clientOpenRoundTrips() {
        assertThat(feed(CopsEncoder.toBytes(opn()))).containsExactly(opn());
    }

    @Test
    void frameSplitAcrossReadsIsReassembled() {
        byte[] b = CopsEncoder.toBytes(dec());

        assertThat(feed(Arrays.copyOfRange(b, 0, 3), Arrays.copyOfRange(b, 3, 11), Arrays.copyOfRange(b, 11, b.length)))
                .containsExactly(dec());
    }

    @Test
    void twoFramesInOneReadGiveTwoMessages() {
        byte[] a = CopsEncoder.toBytes(opn());
        byte[] b = CopsEncoder.toBytes(dec());
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);

        assertThat(feed(both)).containsExactly(opn(), dec());
    }

    @Test
    void badVersionLosesTheFramingAndDropsTheRest() {
        byte[] b = CopsEncoder.toBytes(dec());
        b[0] = 0x20;
        byte[] good = CopsEncoder.toBytes(opn());

        List<Object> out = feed(b, good);

        assertThat(out).singleElement().isInstanceOfSatisfying(InvalidCopsMessage.class, m -> {
            assertThat(m.framingLost()).isTrue();
            assertThat(m.error().code()).isEqualTo(CopsErrorCode.BAD_MESSAGE_FORMAT.code());
            assertThat(m.reason()).contains("version 2");
        });
    }

    @Test
    void messageLengthNotAMultipleOfFourLosesTheFraming() {
        InvalidCopsMessage m = invalid(HEX.parseHex("1009000000000009" + "00"));

        assertThat(m.framingLost()).isTrue();
        assertThat(m.reason()).contains("multiple of 4");
    }

    @Test
    void messageLongerThanTheLimitLosesTheFramingBeforeItsBodyArrives() {
        InvalidCopsMessage m = invalid(HEX.parseHex("1002800a00010000"));

        assertThat(m.framingLost()).isTrue();
        assertThat(m.reason()).contains("exceeds the limit of 1024");
        assertThat(m.opCode()).isEqualTo(CopsOpCode.DEC);
    }

    @Test
    void unknownCNumGivesError13WithCNumAndCTypeAndTheStreamGoesOn() {
        byte[] bad = HEX.parseHex("1009000000000010" + "00081101" + "00000000");

        List<Object> out = feed(bad, CopsEncoder.toBytes(opn()));

        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isInstanceOfSatisfying(InvalidCopsMessage.class, m -> {
            assertThat(m.framingLost()).isFalse();
            assertThat(m.error()).isEqualTo(new CopsObject.ErrorObject(CopsErrorCode.UNKNOWN_COPS_OBJECT, 0x1101));
        });
        assertThat(out.get(1)).isEqualTo(opn());
    }

    @Test
    void unknownCTypeOfAKnownObjectGivesError13() {
        InvalidCopsMessage m = invalid(HEX.parseHex("1007800a00000010" + "00080a02" + "0000001e"));

        assertThat(m.error()).isEqualTo(new CopsObject.ErrorObject(CopsErrorCode.UNKNOWN_COPS_OBJECT, 0x0a02));
    }

    @Test
    void clientAcceptWithoutKaTimerGivesError7NamingTheMissingCNum() {
        InvalidCopsMessage m = invalid(HEX.parseHex("1007800a00000008"));

        assertThat(m.error()).isEqualTo(new CopsObject.ErrorObject(CopsErrorCode.MANDATORY_OBJECT_MISSING, 10 << 8));
    }

    @Test
    void decisionNotStartingWithItsHandleGivesError7() {
        InvalidCopsMessage m = invalid(HEX.parseHex("1002800a00000010" + "00080201" + "00080000"));

        assertThat(m.error().code()).isEqualTo(CopsErrorCode.MANDATORY_OBJECT_MISSING.code());
        assertThat(m.reason()).contains("Handle");
    }

    @Test
    void objectRunningPastTheMessageGivesError3() {
        InvalidCopsMessage m = invalid(HEX.parseHex("1007800a00000010" + "00200a01" + "0000001e"));

        assertThat(m.error().code()).isEqualTo(CopsErrorCode.BAD_MESSAGE_FORMAT.code());
        assertThat(m.framingLost()).isFalse();
        assertThat(m.reason()).contains("Length 32");
    }

    @Test
    void objectShorterThanItsHeaderGivesError3() {
        assertThat(invalid(HEX.parseHex("1007800a00000010" + "00020a01" + "0000001e")).error().code())
                .isEqualTo(CopsErrorCode.BAD_MESSAGE_FORMAT.code());
    }

    @Test
    void contextOfTheWrongLengthGivesError3() {
        InvalidCopsMessage m = invalid(HEX.parseHex("1001800a00000018" + "00050101" + "01000000" + "00060201" + "0800" + "0000"));

        assertThat(m.error().code()).isEqualTo(CopsErrorCode.BAD_MESSAGE_FORMAT.code());
        assertThat(m.reason()).contains("Context");
    }

    @Test
    void keepAliveWithAClientTypeGivesError3() {
        assertThat(invalid(HEX.parseHex("1009800a00000008")).reason()).contains("Client-type");
    }

    @Test
    void reservedHeaderFlagsGiveError3() {
        assertThat(invalid(HEX.parseHex("1209000000000008")).reason()).contains("reserved header flags");
    }

    @Test
    void unknownOpCodeGivesError3() {
        InvalidCopsMessage m = invalid(HEX.parseHex("100b000000000008"));

        assertThat(m.opCode()).isNull();
        assertThat(m.reason()).contains("Op Code 11");
    }

    @Test
    void pepIdWithoutNulGivesError3() {
        assertThat(invalid(HEX.parseHex("1006800a00000010" + "00080b01" + "41424344")).reason()).contains("NUL");
    }

    @Test
    void unknownReportTypeGivesError3() {
        InvalidCopsMessage m = invalid(HEX.parseHex("1003800a00000018" + "00080101" + "01020304" + "00080c01" + "00070000"));

        assertThat(m.reason()).contains("Report-Type 7");
    }

    @Test
    void parseFrameRefusesAFrameWhoseLengthFieldDisagrees() {
        byte[] b = CopsEncoder.toBytes(dec());

        assertThat(CopsDecoder.parseFrame(Arrays.copyOf(b, b.length + 4))).isInstanceOfSatisfying(InvalidCopsMessage.class,
                m -> assertThat(m.framingLost()).isTrue());
        assertThat(CopsDecoder.parseFrame(b)).isEqualTo(dec());
    }

    @Test
    void valuesOutOfRangeAreRefusedWhenBuilt() {
        assertThatThrownBy(() -> new CopsObject.KaTimer(70_000)).isInstanceOf(CopsException.class).hasMessageContaining("KA Timer");
        assertThatThrownBy(() -> new CopsObject.PepId("caf\u00e9")).isInstanceOf(CopsException.class);
        assertThatThrownBy(() -> new CopsObject.Handle(new byte[0])).isInstanceOf(CopsException.class);
    }
}
