package org.arbiter.adapter.pcmm.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The PacketCable Multimedia decoder never throws: arbitrary and mutated blocks give commands or faults. */
class PcmmCodecProperties {

    private static final byte[] GATE_SET = PcmmCodec.encode(PcmmCodecTest.gateSet());

    @Property(tries = 1000)
    void arbitraryBytesGiveACommandOrAFault(@ForAll @Size(max = 300) byte[] bytes) {
        assertThat(PcmmCodec.decode(bytes)).isInstanceOfAny(PcmmCommand.class, PcmmFault.class);
    }

    @Property(tries = 1000)
    void arbitraryObjectsBehindAValidHeaderGiveACommandOrAFault(@ForAll @IntRange(min = 1, max = 22) int sNum,
            @ForAll @IntRange(min = 0, max = 9) int sType, @ForAll @Size(max = 140) byte[] contents) {
        int len = 4 + contents.length / 4 * 4;
        byte[] b = new byte[8 + len];
        System.arraycopy(GATE_SET, 0, b, 0, 8);
        b[8] = (byte) (len >> 8);
        b[9] = (byte) len;
        b[10] = (byte) sNum;
        b[11] = (byte) sType;
        System.arraycopy(contents, 0, b, 12, len - 4);

        assertThat(PcmmCodec.decode(b)).isInstanceOfAny(PcmmCommand.class, PcmmFault.class);
    }

    @Property(tries = 2000)
    void mutatedGateSetsGiveACommandOrAFault(@ForAll("mutations") byte[] bytes) {
        assertThat(PcmmCodec.decode(bytes)).isInstanceOfAny(PcmmCommand.class, PcmmFault.class);
    }

    @Property(tries = 500)
    void bestEffortEnvelopesRoundTrip(@ForAll @IntRange(max = 7) int priority, @ForAll @LongRange(max = 0xFFFFFFFFL) long rate,
            @ForAll @LongRange(max = 0xFFFFFFFFL) long burst, @ForAll @IntRange(max = 0xFFFF) int packet) {
        var e = new TrafficProfile.BestEffort.Envelope(priority, 0, rate, burst, rate, packet, 1522, rate, burst, 0);
        List<PcmmObject> o = List.of(new TrafficProfile.BestEffort(3, List.of(e, e)));

        assertThat(PcmmCodec.decodeObjects(PcmmCodec.encode(o))).isEqualTo(o);
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        Arbitrary<Integer> pos = Arbitraries.integers().between(0, GATE_SET.length - 1);
        return Combinators.combine(pos.list().ofMaxSize(6), Arbitraries.bytes().list().ofMaxSize(6),
                Arbitraries.integers().between(0, GATE_SET.length)).as((ps, vs, cut) -> {
                    byte[] b = GATE_SET.clone();
                    for (int i = 0; i < Math.min(ps.size(), vs.size()); i++) {
                        b[ps.get(i)] = vs.get(i);
                    }
                    return Arrays.copyOf(b, cut == 0 ? b.length : cut);
                });
    }
}
