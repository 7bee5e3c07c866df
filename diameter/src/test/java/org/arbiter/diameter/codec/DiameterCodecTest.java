package org.arbiter.diameter.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiameterCodecTest {

    private static final Dictionary D = Dictionary.standard();
    private static final AvpDef SESSION_ID = D.avp("Session-Id");
    private static final AvpDef ORIGIN_HOST = D.avp("Origin-Host");
    private static final AvpDef CODEC_DATA = D.avp("Codec-Data");
    private static final AvpDef MCD = D.avp("Media-Component-Description");
    private static final AvpDef MCN = D.avp("Media-Component-Number");

    // Types the base dictionary has no AVP for: test-only definitions.
    private static final AvpDef INT32 = new AvpDef("Test-Integer32", 90001, 0, AvpType.INTEGER32, false);
    private static final AvpDef INT64 = new AvpDef("Test-Integer64", 90002, 0, AvpType.INTEGER64, false);
    private static final AvpDef F32 = new AvpDef("Test-Float32", 90003, 0, AvpType.FLOAT32, false);
    private static final AvpDef F64 = new AvpDef("Test-Float64", 90004, 0, AvpType.FLOAT64, false);

    private static EmbeddedChannel channel(int max) {
        return new EmbeddedChannel(new DiameterDecoder(D, max), DiameterEncoder.INSTANCE);
    }

    private static DiameterMessage request(Avp... avps) {
        return new DiameterMessage(DiameterMessage.FLAG_REQUEST | DiameterMessage.FLAG_PROXIABLE, 265, 16777236, 7, 9, List.of(avps));
    }

    private static Object roundTrip(DiameterMessage m) {
        EmbeddedChannel ch = channel(65536);
        ch.writeOutbound(m);
        ByteBuf wire = ch.readOutbound();
        ch.writeInbound(wire);
        Object out = ch.readInbound();
        ch.finishAndReleaseAll();
        return out;
    }

    private static Object decode(byte[] bytes) {
        EmbeddedChannel ch = channel(65536);
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        Object out = ch.readInbound();
        ch.finishAndReleaseAll();
        return out;
    }

    private static byte[] header(int length, int flags, int version) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(version).writeMedium(length).writeByte(flags).writeMedium(265).writeInt(16777236).writeInt(1).writeInt(2);
        return ByteBufUtil.getBytes(b);
    }

    /** A request frame around raw AVP bytes, with a correct Message Length. */
    private static byte[] frame(byte[] avpBytes) {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(header(20 + avpBytes.length, 0xC0, 1)).writeBytes(avpBytes);
        return ByteBufUtil.getBytes(b);
    }

    private static InvalidMessage invalid(Object o) {
        assertThat(o).isInstanceOf(InvalidMessage.class);
        return (InvalidMessage) o;
    }

    @Test
    void everyBasicTypeSurvivesARoundTrip() throws Exception {
        Instant t = Instant.parse("2026-01-02T03:04:05Z");
        DiameterMessage m = request(
                Avp.utf8(SESSION_ID, "pcscf.rx.test;1;1"),
                Avp.octets(D.avp("Class"), new byte[] {1, 2, 3}),
                Avp.integer32(INT32, -5),
                Avp.integer64(INT64, Long.MIN_VALUE),
                Avp.unsigned32(D.avp("Result-Code"), 0xFFFFFFFFL),
                Avp.unsigned64(D.avp("Accounting-Sub-Session-Id"), -1L),
                Avp.float32(F32, 1.5f),
                Avp.float64(F64, -2.25),
                Avp.address(D.avp("Host-IP-Address"), InetAddress.getByName("192.0.2.1")),
                Avp.address(D.avp("Host-IP-Address"), InetAddress.getByName("2001:db8::1")),
                Avp.time(D.avp("Event-Timestamp"), t),
                Avp.utf8(ORIGIN_HOST, "pcscf.rx.test"),
                Avp.utf8(D.avp("Redirect-Host"), "aaa://pdp.rx.test:3868;transport=tcp"),
                Avp.enumerated(D.avp("Media-Type"), 3),
                Avp.utf8(D.avp("Flow-Description"), "permit out 17 from 127.0.0.2 26000 to 127.0.0.1 16000"),
                Avp.grouped(MCD, Avp.unsigned32(MCN, 1), Avp.octets(CODEC_DATA, "x\0".getBytes())));

        DiameterMessage back = (DiameterMessage) roundTrip(m);

        assertThat(back).isEqualTo(m);
        List<Avp> a = back.avps();
        assertThat(a.get(2).integer32()).isEqualTo(-5);
        assertThat(a.get(3).integer64()).isEqualTo(Long.MIN_VALUE);
        assertThat(a.get(4).unsigned32()).isEqualTo(0xFFFFFFFFL);
        assertThat(a.get(5).unsigned64()).isEqualTo(-1L);
        assertThat(a.get(6).float32()).isEqualTo(1.5f);
        assertThat(a.get(7).float64()).isEqualTo(-2.25);
        assertThat(a.get(8).address()).isEqualTo(InetAddress.getByName("192.0.2.1"));
        assertThat(a.get(9).address()).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThat(a.get(10).time()).isEqualTo(t);
        assertThat(a.get(12).utf8()).isEqualTo("aaa://pdp.rx.test:3868;transport=tcp");
        assertThat(a.get(13).enumerated()).isEqualTo(3);
        assertThat(a.get(15).child(CODEC_DATA).utf8()).isEqualTo("x\0");
    }

    @Test
    void octetStringIsPaddedWithZerosToAMultipleOfFour() {
        Avp avp = Avp.octets(D.avp("Class"), new byte[] {1, 2, 3, 4, 5});
        ByteBuf b = Unpooled.buffer();
        avp.encode(b);

        assertThat(avp.length()).isEqualTo(13);
        assertThat(ByteBufUtil.getBytes(b)).containsExactly(0, 0, 0, 25, 0x40, 0, 0, 13, 1, 2, 3, 4, 5, 0, 0, 0);
    }

    @Test
    void vendorAvpCarriesTheVendorFlagAndId() {
        Avp avp = Avp.unsigned32(MCN, 2);
        ByteBuf b = Unpooled.buffer();
        avp.encode(b);

        assertThat(ByteBufUtil.getBytes(b)).containsExactly(0, 0, 2, 6, 0xC0 - 256, 0, 0, 16, 0, 0, 0x28, 0xAF, 0, 0, 0, 2);
    }

    @Test
    void groupedAvpKeepsItsChildrenInOrder() {
        Avp g = Avp.grouped(MCD, Avp.unsigned32(MCN, 3), Avp.octets(CODEC_DATA, new byte[] {9}));

        DiameterMessage back = (DiameterMessage) roundTrip(request(g));

        assertThat(back.find(MCD).children()).extracting(Avp::code).containsExactly(518, 524);
        assertThat(back.find(MCD).child(CODEC_DATA).octets()).containsExactly(9);
    }

    @Test
    void decodedGroupedAvpHasTheChildrenItsBytesEncode() {
        Avp g = Avp.grouped(MCD, Avp.unsigned32(MCN, 3), Avp.octets(CODEC_DATA, new byte[] {9}));

        Avp decoded = ((DiameterMessage) roundTrip(request(g))).find(MCD);

        assertThat(decoded.children()).isEqualTo(new Avp(decoded.code(), decoded.flags(), decoded.vendorId(), decoded.octets()).children());
    }

    @Test
    void decodedMessageKeepsItsValuesWhenTheFrameBytesAreReused() {
        byte[] frame = DiameterEncoder.toBytes(RxSamples.kamailioAar());
        DiameterMessage m = (DiameterMessage) DiameterDecoder.parseFrame(frame, D);
        byte[] before = DiameterEncoder.toBytes(m);

        java.util.Arrays.fill(frame, (byte) 0x55);

        assertThat(DiameterEncoder.toBytes(m)).isEqualTo(before);
    }

    @Test
    void unknownAvpWithoutMandatoryBitIsKept() {
        byte[] bytes = frame(new byte[] {0, 1, 0, 0, 0, 0, 0, 12, 1, 2, 3, 4});

        DiameterMessage m = (DiameterMessage) decode(bytes);

        assertThat(m.avps()).singleElement().satisfies(a -> assertThat(a.code()).isEqualTo(65536));
    }

    @Test
    void twoMessagesInOneReadAndOneMessageSplitOverTwoReads() {
        byte[] one = DiameterEncoder.toBytes(request(Avp.utf8(SESSION_ID, "a;1")));
        EmbeddedChannel ch = channel(65536);

        ch.writeInbound(Unpooled.wrappedBuffer(one, one, java.util.Arrays.copyOf(one, 10)));
        ch.writeInbound(Unpooled.wrappedBuffer(java.util.Arrays.copyOfRange(one, 10, one.length)));

        assertThat(List.of(ch.readInbound(), ch.readInbound(), ch.readInbound())).allSatisfy(o -> assertThat(o).isInstanceOf(DiameterMessage.class));
        ch.finishAndReleaseAll();
    }

    @Test
    void truncatedHeaderIsAnInvalidMessageLength() {
        InvalidMessage im = invalid(DiameterDecoder.parseFrame(new byte[] {1, 0, 0, 20, (byte) 0x80, 0, 1}, D));

        assertThat(im.resultCode()).isEqualTo(5015);
        assertThat(im.framingLost()).isTrue();
    }

    @Test
    void decoderWaitsForTheRestOfAPartialHeader() {
        EmbeddedChannel ch = channel(65536);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 0, 0, 20, (byte) 0x80}));

        assertThat(ch.<Object>readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void badVersionIs5011AndDiscardsTheRestOfTheStream() {
        EmbeddedChannel ch = channel(65536);
        DiameterDecoder dec = ch.pipeline().get(DiameterDecoder.class);
        byte[] good = DiameterEncoder.toBytes(request());
        ch.writeInbound(Unpooled.wrappedBuffer(header(20, 0x80, 2), good));

        InvalidMessage im = invalid(ch.readInbound());
        assertThat(im.resultCode()).isEqualTo(5011);
        assertThat(im.framingLost()).isTrue();
        assertThat(im.hopByHop()).isEqualTo(1);
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(dec.state()).isEqualTo(DiameterDecoder.State.DISCARD);
        ch.finishAndReleaseAll();
    }

    @Test
    void lengthNotAMultipleOfFourIs5015() {
        InvalidMessage im = invalid(decode(header(22, 0x80, 1)));

        assertThat(im.resultCode()).isEqualTo(5015);
        assertThat(im.framingLost()).isTrue();
    }

    @Test
    void lengthBelowTheHeaderIs5015() {
        assertThat(invalid(decode(header(16, 0x80, 1))).resultCode()).isEqualTo(5015);
    }

    @Test
    void messageAboveTheConfiguredLimitIs5015() {
        EmbeddedChannel ch = channel(64);
        ch.writeInbound(Unpooled.wrappedBuffer(header(68, 0x80, 1)));

        InvalidMessage im = invalid(ch.readInbound());
        assertThat(im.resultCode()).isEqualTo(5015);
        assertThat(im.reason()).contains("exceeds the limit of 64");
        ch.finishAndReleaseAll();
    }

    @Test
    void avpLengthBelowEightIs5014WithFailedAvp() {
        InvalidMessage im = invalid(decode(frame(new byte[] {0, 0, 1, 7, 0x40, 0, 0, 4})));

        assertThat(im.resultCode()).isEqualTo(5014);
        assertThat(im.failedAvp().code()).isEqualTo(263);
        assertThat(im.framingLost()).isFalse();
    }

    @Test
    void avpRunningPastTheMessageIs5014() {
        InvalidMessage im = invalid(decode(frame(new byte[] {0, 0, 1, 7, 0x40, 0, 0, 40, 'a', 'b', 'c', 'd'})));

        assertThat(im.resultCode()).isEqualTo(5014);
        assertThat(im.failedAvp().code()).isEqualTo(263);
    }

    @Test
    void truncatedAvpHeaderIs5014() {
        InvalidMessage im = invalid(decode(frame(new byte[] {0, 0, 1, 7})));

        assertThat(im.resultCode()).isEqualTo(5014);
        assertThat(im.failedAvp().code()).isEqualTo(263);
    }

    @Test
    void nonZeroPaddingIs5014() {
        InvalidMessage im = invalid(decode(frame(new byte[] {0, 0, 0, 25, 0x40, 0, 0, 9, 'x', 1, 1, 1})));

        assertThat(im.resultCode()).isEqualTo(5014);
        assertThat(im.failedAvp().code()).isEqualTo(25);
    }

    @Test
    void unpaddedAvpFollowedByAnotherIsAnError() {
        // Class (5 data bytes) without its 3 padding bytes, then Session-Id: the second header is misread.
        byte[] avps = {0, 0, 0, 25, 0x40, 0, 0, 13, 1, 2, 3, 4, 5, 0, 0, 1, 7, 0x40, 0, 0, 9, 'a', 0, 0};
        InvalidMessage im = invalid(decode(frame(avps)));

        assertThat(im.resultCode()).isEqualTo(5014);
    }

    @Test
    void unknownAvpWithMandatoryBitInARequestIs5001WithTheAvp() {
        byte[] raw = {0, 0, 0x30, 0x39, 0x40, 0, 0, 12, 1, 2, 3, 4};
        InvalidMessage im = invalid(decode(frame(raw)));

        assertThat(im.resultCode()).isEqualTo(5001);
        assertThat(im.failedAvp().code()).isEqualTo(12345);
        assertThat(im.failedAvp().octets()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void unknownMandatoryAvpInsideAGroupedAvpIs5001() {
        Avp inner = new Avp(12345, Avp.FLAG_MANDATORY, 0, new byte[] {1, 2, 3, 4});
        Avp g = Avp.grouped(MCD, Avp.unsigned32(MCN, 1), inner);
        InvalidMessage im = invalid(roundTrip(request(Avp.utf8(SESSION_ID, "s;1"), g)));

        assertThat(im.resultCode()).isEqualTo(5001);
        assertThat(im.failedAvp()).isEqualTo(inner);
        assertThat(im.avps()).containsExactly(Avp.utf8(SESSION_ID, "s;1"));
    }

    @Test
    void reservedHeaderBitsAre3008() {
        byte[] b = DiameterEncoder.toBytes(request());
        b[4] |= 0x01;

        assertThat(invalid(decode(b)).resultCode()).isEqualTo(3008);
    }

    @Test
    void requestWithErrorBitIs3008() {
        byte[] b = DiameterEncoder.toBytes(request());
        b[4] |= DiameterMessage.FLAG_ERROR;

        assertThat(invalid(decode(b)).resultCode()).isEqualTo(3008);
    }

    @Test
    void reservedAvpFlagBitsAre3009() {
        InvalidMessage im = invalid(decode(frame(new byte[] {0, 0, 1, 7, 0x41, 0, 0, 9, 'a', 0, 0, 0})));

        assertThat(im.resultCode()).isEqualTo(3009);
        assertThat(im.failedAvp().code()).isEqualTo(263);
    }

    @Test
    void unsigned32WithThreeBytesIs5014() {
        InvalidMessage im = invalid(decode(frame(new byte[] {0, 0, 1, 12, 0x40, 0, 0, 11, 0, 0, 7, 0})));

        assertThat(im.resultCode()).isEqualTo(5014);
        assertThat(im.failedAvp().code()).isEqualTo(268);
    }

    @Test
    void invalidUtf8InAUtf8StringIs5004() {
        InvalidMessage im = invalid(decode(frame(new byte[] {0, 0, 1, 7, 0x40, 0, 0, 10, (byte) 0xC3, 0x28, 0, 0})));

        assertThat(im.resultCode()).isEqualTo(5004);
        assertThat(im.failedAvp().code()).isEqualTo(263);
    }

    @Test
    void unknownAddressFamilyIs5004() {
        InvalidMessage im = invalid(decode(frame(new byte[] {0, 0, 1, 1, 0x40, 0, 0, 14, 0, 3, 1, 2, 3, 4, 0, 0})));

        assertThat(im.resultCode()).isEqualTo(5004);
    }

    @Test
    void decoderGoesOnAfterAnAvpLevelFault() {
        EmbeddedChannel ch = channel(65536);
        byte[] bad = frame(new byte[] {0, 0, 0x30, 0x39, 0x40, 0, 0, 12, 1, 2, 3, 4});
        byte[] good = DiameterEncoder.toBytes(request(Avp.utf8(SESSION_ID, "ok;1")));
        ch.writeInbound(Unpooled.wrappedBuffer(bad, good));

        assertThat(invalid(ch.readInbound()).framingLost()).isFalse();
        assertThat(ch.<Object>readInbound()).isInstanceOf(DiameterMessage.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void answerStartsAsUnableToComply() {
        DiameterMessage a = AnswerBuilder.to(request(Avp.utf8(SESSION_ID, "s;1")), "pdp", "realm").build();

        assertThat(a.isRequest()).isFalse();
        assertThat(a.avps().getFirst()).isEqualTo(Avp.utf8(SESSION_ID, "s;1"));
        assertThat(a.find(D.avp("Result-Code")).unsigned32()).isEqualTo(5012);
        assertThat(a.isError()).isFalse();
    }

    @Test
    void protocolErrorAnswerHasTheErrorBitAndFailedAvp() {
        Avp bad = Avp.utf8(SESSION_ID, "");
        DiameterMessage a = AnswerBuilder.to(request(), "pdp", "realm").resultCode(3001).failedAvp(bad).build();

        assertThat(a.isError()).isTrue();
        assertThat(a.find(D.avp("Failed-AVP")).children()).containsExactly(bad);
    }

    @Test
    void experimentalResultCarriesThe3gppVendor() {
        DiameterMessage a = AnswerBuilder.to(request(), "pdp", "realm").experimentalResult(10415, 5063).build();

        Avp er = a.find(D.avp("Experimental-Result"));
        assertThat(er.child(D.avp("Vendor-Id")).unsigned32()).isEqualTo(10415);
        assertThat(er.child(D.avp("Experimental-Result-Code")).unsigned32()).isEqualTo(5063);
        assertThat(a.find(D.avp("Result-Code"))).isNull();
    }

    @Test
    void theAvpsAFailedAvpReportsAreNotCheckedAgain() {
        // a Session-Id whose code was damaged into Host-IP-Address's: not an address (RFC 6733 §7.5
        // has the answer carry it back as it came)
        Avp bad = Avp.octets(D.avp("Host-IP-Address"), "pcscf.rx.test;1;1".getBytes(StandardCharsets.UTF_8));
        Avp unparsable = Avp.octets(MCD, "abcde".getBytes(StandardCharsets.UTF_8));

        Object answer = roundTrip(AnswerBuilder.to(request(), "pdp", "realm").resultCode(5004).failedAvp(bad).build());
        Object grouped = roundTrip(AnswerBuilder.to(request(), "pdp", "realm").resultCode(5004).failedAvp(unparsable).build());

        assertThat(answer).isInstanceOf(DiameterMessage.class);
        assertThat(((DiameterMessage) answer).find(D.avp("Failed-AVP")).children()).containsExactly(bad);
        assertThat(grouped).isInstanceOf(DiameterMessage.class);
        Avp kept = ((DiameterMessage) grouped).find(D.avp("Failed-AVP")).children().getFirst();
        assertThat(kept.code()).isEqualTo(MCD.code());
        assertThat(kept.octets()).isEqualTo("abcde".getBytes(StandardCharsets.UTF_8));
        // outside a Failed-AVP the same AVP is still refused
        InvalidMessage im = invalid(roundTrip(request(bad)));
        assertThat(im.resultCode()).isEqualTo(5004);
        assertThat(im.reason()).contains("address family");
    }
}
