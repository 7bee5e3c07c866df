package org.arbiter.adapter.pcmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.arbiter.adapter.pcmm.mm.GateCommand;
import org.arbiter.adapter.pcmm.mm.PcmmCodec;
import org.arbiter.adapter.pcmm.mm.PcmmCommand;
import org.arbiter.adapter.pcmm.mm.PcmmObject;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.qos.Direction;

/** Every reservation maps to a Gate-Set the codec reads back, and its Opaque Data gives it back; no bytes make the reader throw. */
class GateMappingProperties {

    @Property(tries = 300)
    void reservationsSurviveOpaqueDataAndTheCodec(@ForAll @StringLength(min = 1, max = 120) @CharRange(from = ' ', to = '~') @CharRange(from = '\u00e0', to = '\u00ff') String id, @ForAll boolean uplink,
            @ForAll @IntRange(max = 255) int octet, @ForAll @LongRange(max = 4_000_000_000L) long rate, @ForAll @IntRange(max = 63) int dscp,
            @ForAll @IntRange(min = -1, max = 10_000) int latency) {
        DeviceReservation r = new DeviceReservation(id, "s;" + id, "pool", uplink ? Direction.UPLINK : Direction.DOWNLINK,
                uplink ? "10.0.0." + octet : "2001:db8::" + Integer.toHexString(octet), rate, DeviceReservation.defaultBurst(rate), dscp,
                latency < 0 ? null : latency);
        PcmmCommand set = new PcmmCommand(new PcmmObject.TransactionId(1, GateCommand.GATE_SET),
                GateMapping.gateSet(r, -1, GateMappingTest.config(Map.of())));

        assertThat(PcmmCodec.decode(PcmmCodec.encode(set))).isInstanceOfSatisfying(PcmmCommand.class, c -> assertThat(
                GateMapping.reservation(c.first(PcmmObject.OpaqueData.class).orElseThrow())).contains(r));
    }

    @Property(tries = 1000)
    void opaqueDataWithoutOurMagicIsNotOurs(@ForAll @Size(min = 1, max = 200) byte[] data) {
        Assume.that(data.length < 4 || data[0] != 'A' || data[1] != 'R' || data[2] != 'B');

        assertThat(GateMapping.reservation(new PcmmObject.OpaqueData(data))).isEmpty();
    }

    @Property(tries = 1000)
    void opaqueDataWithOurMagicIsAcceptedOnlyAsWritten(@ForAll @Size(max = 200) byte[] rest) {
        byte[] data = new byte[4 + rest.length];
        data[0] = 'A';
        data[1] = 'R';
        data[2] = 'B';
        data[3] = 1;
        System.arraycopy(rest, 0, data, 4, rest.length);

        GateMapping.reservation(new PcmmObject.OpaqueData(data)).ifPresent(r -> {
            byte[] again = GateMapping.opaque(r).data();
            assertThat(Arrays.copyOf(data, again.length)).as("an accepted record is exactly what we write").isEqualTo(again);
            assertThat(Arrays.copyOfRange(data, again.length, data.length)).as("followed by padding only").containsOnly((byte) 0);
        });
    }
}
