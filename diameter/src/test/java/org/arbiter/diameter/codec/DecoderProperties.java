package org.arbiter.diameter.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class DecoderProperties {

    private static final Dictionary D = Dictionary.standard();

    private static List<Object> feed(byte[]... chunks) {
        EmbeddedChannel ch = new EmbeddedChannel(new DiameterDecoder(D, 4096));
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

    @Property(tries = 500)
    void randomBytesNeverThrowAndYieldOnlyMessagesOrErrorValues(@ForAll @Size(max = 300) byte[] bytes) {
        assertThat(feed(bytes)).allSatisfy(o -> assertThat(o).isInstanceOfAny(DiameterMessage.class, InvalidMessage.class));
    }

    @Property(tries = 1000)
    void mutatedAarsNeverThrow(@ForAll("mutations") byte[] bytes) {
        assertThat(feed(bytes)).allSatisfy(o -> assertThat(o).isInstanceOfAny(DiameterMessage.class, InvalidMessage.class));
    }

    @Property(tries = 300)
    void octetStringAvpsOfAnyLengthRoundTrip(@ForAll @Size(max = 20) List<@Size(max = 40) byte[]> values) {
        List<Avp> avps = new ArrayList<>();
        for (byte[] v : values) {
            avps.add(Avp.octets(D.avp("Codec-Data"), v));
        }
        DiameterMessage m = new DiameterMessage(0x80, 265, 16777236, 1, 2, avps);

        assertThat(feed(DiameterEncoder.toBytes(m))).containsExactly(m);
    }

    @Property(tries = 2000)
    void utf8CheckAcceptsExactlyWhatTheStrictJdkDecoderAccepts(@ForAll("nearlyUtf8") byte[] bytes) {
        boolean jdk;
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes));
            jdk = true;
        } catch (java.nio.charset.CharacterCodingException e) {
            jdk = false;
        }

        assertThat(FrameParser.validUtf8(bytes, 0, bytes.length)).isEqualTo(jdk);
    }

    /** Text with multi-byte characters, surrogates and edge code points, some bytes changed or cut. */
    @Provide
    Arbitrary<byte[]> nearlyUtf8() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0000', '\uFFFF').ofMaxLength(12);
        Arbitrary<Byte> edge = Arbitraries.of((byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xDF, (byte) 0xE0,
                (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF, (byte) 0x9F, (byte) 0xA0, (byte) 0x8F,
                (byte) 0x90);
        return Combinators.combine(text, Arbitraries.integers().between(0, 40).list().ofMaxSize(3), edge.list().ofMaxSize(3),
                Arbitraries.integers().between(0, 3)).as((t, ps, vs, cut) -> {
                    byte[] b = t.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    for (int i = 0; i < Math.min(ps.size(), vs.size()); i++) {
                        if (ps.get(i) < b.length) {
                            b[ps.get(i)] = vs.get(i);
                        }
                    }
                    return java.util.Arrays.copyOf(b, Math.max(0, b.length - cut));
                });
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        byte[] base = DiameterEncoder.toBytes(RxSamples.kamailioAar());
        Arbitrary<Integer> pos = Arbitraries.integers().between(0, base.length - 1);
        Arbitrary<Byte> val = Arbitraries.bytes();
        return Combinators.combine(pos.list().ofMaxSize(8), val.list().ofMaxSize(8), Arbitraries.integers().between(0, base.length))
                .as((ps, vs, cut) -> {
                    byte[] b = base.clone();
                    for (int i = 0; i < Math.min(ps.size(), vs.size()); i++) {
                        b[ps.get(i)] = vs.get(i);
                    }
                    return java.util.Arrays.copyOf(b, cut == 0 ? b.length : cut);
                });
    }
}
