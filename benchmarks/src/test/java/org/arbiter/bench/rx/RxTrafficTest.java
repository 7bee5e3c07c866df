package org.arbiter.bench.rx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import org.arbiter.diameter.codec.AnswerBuilder;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.DiameterDecoder;
import org.arbiter.diameter.codec.DiameterEncoder;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.Dictionary;
import org.junit.jupiter.api.Test;

class RxTrafficTest {

    private static final Dictionary D = Dictionary.standard();
    private final RxTraffic traffic = new RxTraffic("rx.test", "pdp.test", 1_764_000_000L, BenchWorld.ueAddresses(20));

    private static byte[] bytes(java.util.function.Consumer<ByteBuf> writer) {
        ByteBuf b = Unpooled.buffer();
        writer.accept(b);
        return ByteBufUtil.getBytes(b);
    }

    private static DiameterMessage decode(byte[] frame) {
        Object o = DiameterDecoder.parseFrame(frame, D);
        assertThat(o).isInstanceOf(DiameterMessage.class);
        return (DiameterMessage) o;
    }

    @Test
    void aPatchedAarIsByteForByteTheAarTheCodecBuilds() {
        byte[] patched = bytes(b -> traffic.writeAar(b, 37, 12, 4_000_000_123L, 77, 99, false));

        assertThat(patched).isEqualTo(DiameterEncoder.toBytes(traffic.aar(37, 12, 4_000_000_123L, 77, 99, false)));
    }

    @Test
    void aPatchedUpdateAarCountsSessionTimeoutDown() {
        byte[] patched = bytes(b -> traffic.writeAar(b, 2, 3, 5, 6, 7, true));

        assertThat(patched).isEqualTo(DiameterEncoder.toBytes(traffic.aar(2, 3, 5, 6, 7, true)));
        assertThat(decode(patched).find(D.avp("Session-Timeout")).unsigned32()).isEqualTo(7199);
    }

    @Test
    void aPatchedStrIsByteForByteTheStrTheCodecBuilds() {
        byte[] patched = bytes(b -> traffic.writeStr(b, 99, 999_999_999_999L, -1, 3));

        assertThat(patched).isEqualTo(DiameterEncoder.toBytes(traffic.str(99, 999_999_999_999L, -1, 3)));
    }

    @Test
    void theAarHasTheSessionIdentityOfItsPeerAndSequence() {
        DiameterMessage aar = decode(bytes(b -> traffic.writeAar(b, 4, 7, 42, 11, 12, false)));

        assertThat(aar.text(D.avp("Session-Id"))).isEqualTo("bench-04.rx.test;1764000000;000000000042");
        assertThat(aar.text(D.avp("Origin-Host"))).isEqualTo("bench-04.rx.test");
        assertThat(aar.hopByHop()).isEqualTo(11);
        assertThat(aar.endToEnd()).isEqualTo(12);
        assertThat(aar.commandCode()).isEqualTo(265);
        assertThat(aar.applicationId()).isEqualTo(16777236L);
        assertThat(aar.isRequest()).isTrue();
    }

    @Test
    void theAarCarriesTheLinesSubscriberAndAddress() {
        DiameterMessage aar = decode(bytes(b -> traffic.writeAar(b, 0, 7, 1, 1, 1, false)));

        assertThat(aar.find(D.avp("Framed-IP-Address")).octets()).containsExactly(10, 0, 7, 7);
        assertThat(aar.find(D.avp("Subscription-Id")).child(D.avp("Subscription-Id-Data")).utf8()).isEqualTo("sip:line-00007@home.example");
        assertThat(aar.findAll(D.avp("Specific-Action"))).extracting(Avp::enumerated).containsExactly(1, 2, 3, 4, 5, 6, 12);
    }

    @Test
    void theAarHasAnAudioAndAGameComponentWithOfferAndAnswerCodecData() {
        DiameterMessage aar = decode(bytes(b -> traffic.writeAar(b, 0, 7, 1, 1, 1, false)));
        List<Avp> mcds = aar.findAll(D.avp("Media-Component-Description"));

        assertThat(mcds).hasSize(2);
        assertThat(mcds.get(0).child(D.avp("Media-Type")).enumerated()).isZero();
        assertThat(mcds.get(0).child(D.avp("Max-Requested-Bandwidth-UL")).unsigned32()).isEqualTo(64_000);
        assertThat(mcds.get(1).child(D.avp("Media-Type")).enumerated()).isEqualTo(3);
        assertThat(mcds.get(1).child(D.avp("Max-Requested-Bandwidth-UL"))).as("Kamailio sends none for m=application").isNull();
        List<String> game = mcds.get(1).children().stream().filter(a -> a.is(D.avp("Codec-Data"))).map(Avp::utf8).toList();
        assertThat(game).hasSize(2);
        assertThat(game.get(0)).startsWith("uplink\noffer\nm=application 16002 RTP/AVP 98\r\n").endsWith("\r\n\0")
                .contains("a=qos-latency:40\r\n", "a=qos-class:fps-game\r\n");
        assertThat(game.get(1)).startsWith("downlink\nanswer\nm=application 26002 ").endsWith("\r\n\0");
    }

    @Test
    void theFlowDescriptionsPointAtTheLinesAddress() {
        DiameterMessage aar = decode(bytes(b -> traffic.writeAar(b, 0, 19, 1, 1, 1, false)));
        Avp sub = aar.findAll(D.avp("Media-Component-Description")).get(0).child(D.avp("Media-Sub-Component"));

        assertThat(sub.children().stream().filter(a -> a.is(D.avp("Flow-Description"))).map(Avp::utf8))
                .containsExactly("permit out 17 from 192.0.2.20 26000 to 10.0.19.7 16000", "permit in 17 from 10.0.19.7 16000 to 192.0.2.20 26000");
    }

    @Test
    void theResultCodeOfAnAnswerIsReadInPlace() {
        DiameterMessage aar = traffic.aar(0, 0, 1, 5, 5, false);
        ByteBuf ok = Unpooled.wrappedBuffer(DiameterEncoder.toBytes(AnswerBuilder.to(aar, "pdp", "pdp.test").resultCode(2001).build()));

        assertThat(RxTraffic.resultCode(ok)).isEqualTo(2001);
    }

    @Test
    void theExperimentalResultCodeOfAnAnswerIsReadInPlace() {
        DiameterMessage aar = traffic.aar(0, 0, 1, 5, 5, false);
        ByteBuf refused = Unpooled.wrappedBuffer(DiameterEncoder.toBytes(
                AnswerBuilder.to(aar, "pdp", "pdp.test").experimentalResult(10415, 5063).build()));

        assertThat(RxTraffic.resultCode(refused)).isEqualTo(5063);
    }

    @Test
    void anAnswerWithoutResultIsMinusOne() {
        DiameterMessage bare = new DiameterMessage(0, 265, 16777236L, 1, 1, List.of(Avp.utf8(D.avp("Origin-Host"), "pdp")));

        assertThat(RxTraffic.resultCode(Unpooled.wrappedBuffer(DiameterEncoder.toBytes(bare)))).isEqualTo(-1);
    }

    @Test
    void aTruncatedAnswerIsMinusOne() {
        DiameterMessage aar = traffic.aar(0, 0, 1, 5, 5, false);
        byte[] full = DiameterEncoder.toBytes(AnswerBuilder.to(aar, "pdp", "pdp.test").resultCode(2001).build());
        byte[] cut = Arrays.copyOf(full, full.length - 3);

        assertThat(RxTraffic.resultCode(Unpooled.wrappedBuffer(cut))).isEqualTo(-1);
    }

    @Test
    void aSequenceBeyondTwelveDigitsIsRefused() {
        assertThatThrownBy(() -> bytes(b -> traffic.writeStr(b, 0, 1_000_000_000_000L, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000000000000");
    }

    @Test
    void aPeerBeyondNinetyNineIsRefused() {
        assertThatThrownBy(() -> RxTraffic.originHost(100)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100");
    }

    @Test
    void theCerAdvertisesRxBothWays() {
        DiameterMessage cer = traffic.cer(1, 1);

        assertThat(cer.find(D.avp("Auth-Application-Id")).unsigned32()).isEqualTo(16777236L);
        assertThat(cer.find(D.avp("Vendor-Specific-Application-Id")).child(D.avp("Vendor-Id")).unsigned32()).isEqualTo(10415);
        assertThat(cer.text(D.avp("Origin-Host"))).isEqualTo("bench-01.rx.test");
    }

    @Test
    void anAnswerToADwrEchoesItsIdentifiers() {
        DiameterMessage dwr = new DiameterMessage(DiameterMessage.FLAG_REQUEST, 280, 0, 31, 32,
                List.of(Avp.utf8(D.avp("Origin-Host"), "pdp"), Avp.utf8(D.avp("Origin-Realm"), "pdp.test")));

        DiameterMessage dwa = traffic.answer(2, dwr);

        assertThat(dwa.isRequest()).isFalse();
        assertThat(dwa.hopByHop()).isEqualTo(31);
        assertThat(dwa.endToEnd()).isEqualTo(32);
        assertThat(dwa.find(D.avp("Result-Code")).unsigned32()).isEqualTo(2001);
    }
}
