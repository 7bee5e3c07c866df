package org.arbiter.adapter.pcmm.cops;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The COPS decoder never throws: arbitrary and mutated bytes give messages or error values. */
class CopsDecoderProperties {

    private static final byte[] DEC = CopsEncoder.toBytes(new CopsMessage(false, CopsOpCode.DEC, CopsMessage.CLIENT_TYPE_PCMM,
            List.of(new CopsObject.Handle(new byte[] {1, 2, 3, 4}), new CopsObject.Context(CopsObject.Context.CONFIGURATION, 0),
                    new CopsObject.DecisionFlags(CopsObject.DecisionFlags.Command.INSTALL, 0),
                    new CopsObject.DecisionData(4, HexFormat.of().parseHex("0008010100070004000802010001002a")))));

    private static List<Object> feed(byte[]... chunks) {
        EmbeddedChannel ch = new EmbeddedChannel(new CopsDecoder(512));
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

    @Property(tries = 1000)
    void arbitraryBytesGiveOnlyMessagesOrErrorValues(@ForAll @Size(max = 600) byte[] bytes) {
        assertThat(feed(bytes)).allSatisfy(o -> assertThat(o).isInstanceOfAny(CopsMessage.class, InvalidCopsMessage.class));
    }

    @Property(tries = 1000)
    void arbitraryBytesBehindAValidHeaderGiveOneValue(@ForAll @Size(max = 120) byte[] body, @ForAll @IntRange(min = 1, max = 10) int op,
            @ForAll boolean solicited) {
        int len = 8 + body.length / 4 * 4;
        byte[] frame = new byte[len];
        frame[0] = (byte) (0x10 | (solicited ? 1 : 0));
        frame[1] = (byte) op;
        frame[2] = (byte) 0x80;
        frame[3] = 0x0a;
        frame[6] = (byte) (len >> 8);
        frame[7] = (byte) len;
        System.arraycopy(body, 0, frame, 8, len - 8);

        assertThat(feed(frame)).singleElement().isInstanceOfAny(CopsMessage.class, InvalidCopsMessage.class);
    }

    @Property(tries = 2000)
    void mutatedDecisionsGiveOnlyMessagesOrErrorValues(@ForAll("mutations") byte[] bytes) {
        assertThat(feed(bytes)).allSatisfy(o -> assertThat(o).isInstanceOfAny(CopsMessage.class, InvalidCopsMessage.class));
    }

    @Property(tries = 300)
    void messagesWithArbitraryClientDataRoundTrip(@ForAll @Size(max = 8) List<@Size(max = 40) byte[]> data, @ForAll boolean solicited) {
        List<CopsObject> objects = new ArrayList<>();
        objects.add(new CopsObject.Handle(new byte[] {9}));
        objects.add(new CopsObject.ReportType(CopsObject.ReportType.Kind.SUCCESS));
        for (byte[] d : data) {
            objects.add(new CopsObject.ClientSI(1, d));
        }
        CopsMessage m = new CopsMessage(solicited, CopsOpCode.RPT, CopsMessage.CLIENT_TYPE_PCMM, objects);

        assertThat(feed(CopsEncoder.toBytes(m))).containsExactly(m);
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        Arbitrary<Integer> pos = Arbitraries.integers().between(0, DEC.length - 1);
        Arbitrary<Byte> val = Arbitraries.bytes();
        return Combinators.combine(pos.list().ofMaxSize(6), val.list().ofMaxSize(6), Arbitraries.integers().between(0, DEC.length))
                .as((ps, vs, cut) -> {
                    byte[] b = DEC.clone();
                    for (int i = 0; i < Math.min(ps.size(), vs.size()); i++) {
                        b[ps.get(i)] = vs.get(i);
                    }
                    return Arrays.copyOf(b, cut == 0 ? b.length : cut);
                });
    }
}
