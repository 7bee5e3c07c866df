package org.arbiter.adapter.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.IntStream;
import org.arbiter.adapter.snmp.DeviceModel.Column;
import org.arbiter.adapter.snmp.DeviceModel.RowIndex;
import org.arbiter.adapter.snmp.DeviceModel.Source;
import org.arbiter.adapter.snmp.DeviceModel.Syntax;
import org.arbiter.adapter.snmp.DeviceModel.Unencodable;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;

/** Row index derivation and value encoding; no I/O. */
class DeviceModelTest {

    private static final String ID = "pcscf.rx.test;2072389454;1|3.3|UL|10.1.0.7|line-7";
    private static final RowIndex NAME = new RowIndex(RowIndex.Kind.NAME, "arb", 15, false, 2);
    private static final RowIndex HASH = new RowIndex(RowIndex.Kind.HASH31, "", 0, false, 4);

    private static DeviceReservation reservation(String address, long rate, Integer latencyMs) {
        return new DeviceReservation(ID, "pcscf.rx.test;2072389454;1", "line-7", Direction.DOWNLINK, address, rate,
                DeviceReservation.defaultBurst(rate), 46, latencyMs);
    }

    private static Column column(Syntax syntax, Source source, Object ifAbsent) {
        return new Column("c", 4, syntax, source, null, Map.of(Direction.UPLINK, 2L, Direction.DOWNLINK, 1L), ifAbsent,
                syntax.min, syntax.max, 16, true);
    }

    @Test
    void nameIndexIsALengthPrefixedAdminStringOfTheModelLength() {
        OID slot = NAME.slot(ID, 0);

        assertThat(slot.size()).isEqualTo(16);
        assertThat(slot.get(0)).isEqualTo(15);
        String name = new String(IntStream.range(1, 16).map(slot::get).toArray(), 0, 15);
        assertThat(name).startsWith("arb").matches("arb[a-z2-7]{12}");
    }

    @Test
    void nameIndexOfAnIdNeverChanges() {
        OID slot = NAME.slot(ID, 0);
        String name = new String(IntStream.range(1, 16).map(slot::get).toArray(), 0, 15);

        assertThat(name).isEqualTo(goldenName());
    }

    /**
     * Rows on devices are found by this derivation: changing it would orphan every installed row.
     * Computed independently: "arb" + RFC 4648 base32 (lower case) of SHA-256(id), 12 characters.
     */
    private static String goldenName() {
        return "arbllzkdb4g4bxl";
    }

    @Test
    void hashIndexOfAnIdNeverChanges() {
        // (first 4 octets of SHA-256(id) & 0x7fffffff) mod (2^31 - 1) + 1, computed independently
        assertThat(HASH.slot(ID, 0)).isEqualTo(new OID(new int[] {1525850504}));
    }

    @Test
    void impliedNameIndexHasNoLengthSubIdentifier() {
        OID slot = new RowIndex(RowIndex.Kind.NAME, "arb", 15, true, 1).slot(ID, 0);

        assertThat(slot.size()).isEqualTo(15);
        assertThat(slot.get(0)).isEqualTo('a');
    }

    @Test
    void hashIndexIsOneSubIdentifierBetween1AndMaxInt() {
        for (int n = 0; n < 200; n++) {
            OID slot = HASH.slot(ID + n, 0);
            assertThat(slot.size()).isEqualTo(1);
            assertThat(slot.get(0)).isBetween(1, Integer.MAX_VALUE);
        }
    }

    @Test
    void laterProbeSlotsDifferFromTheFirst() {
        assertThat(HASH.slot(ID, 1)).isNotEqualTo(HASH.slot(ID, 0));
        assertThat(NAME.slot(ID, 1)).isNotEqualTo(NAME.slot(ID, 0));
        assertThat(HASH.slot(ID, 1).get(0)).isEqualTo(HASH.slot(ID, 0).get(0) % Integer.MAX_VALUE + 1);
    }

    @Test
    void rateInKbpsIsRoundedUp() throws Exception {
        assertThat(column(Syntax.UNSIGNED, Source.RATE_KBPS, null).encode(reservation("10.1.0.7", 64_001, 20)))
                .isEqualTo(new Gauge32(65));
    }

    @Test
    void absentLatencyTakesTheModelsValue() throws Exception {
        assertThat(column(Syntax.UNSIGNED, Source.LATENCY_US, 0L).encode(reservation("10.1.0.7", 64_000, null)))
                .isEqualTo(new Gauge32(0));
    }

    @Test
    void latencyInMicroseconds() throws Exception {
        assertThat(column(Syntax.UNSIGNED, Source.LATENCY_US, 0L).encode(reservation("10.1.0.7", 64_000, 20)))
                .isEqualTo(new Gauge32(20_000));
    }

    @Test
    void directionIsMapped() throws Exception {
        assertThat(column(Syntax.INTEGER, Source.DIRECTION, null).encode(reservation("10.1.0.7", 64_000, 20)))
                .isEqualTo(new Integer32(1));
    }

    @Test
    void ipv6SubscriberGivesSixteenOctetsAndTypeIpv6() throws Exception {
        DeviceReservation r = reservation("2001:db8:0:7::1b", 64_000, 20);

        assertThat(column(Syntax.OCTETS, Source.ADDRESS_OCTETS, null).encode(r))
                .isEqualTo(new OctetString(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0x1b}));
        assertThat(column(Syntax.INTEGER, Source.ADDRESS_TYPE, null).encode(r)).isEqualTo(new Integer32(2));
        assertThat(column(Syntax.INTEGER, Source.ADDRESS_PREFIX_LENGTH, null).encode(r)).isEqualTo(new Integer32(128));
    }

    @Test
    void ipv6SubscriberCannotGoIntoAnIpAddressColumn() {
        assertThatThrownBy(() -> column(Syntax.IP_ADDRESS, Source.ADDRESS_OCTETS, null).encode(reservation("2001:db8::1", 64_000, 20)))
                .isInstanceOf(Unencodable.class).hasMessageContaining("IpAddress holds IPv4 only");
    }

    @Test
    void rateAboveUnsigned32IsUnencodable() {
        assertThatThrownBy(() -> column(Syntax.UNSIGNED, Source.RATE_BPS, null).encode(reservation("10.1.0.7", 5_000_000_000L, 20)))
                .isInstanceOf(Unencodable.class).hasMessageContaining("rate-bps 5000000000 is outside [0, 4294967295]");
    }

    @Test
    void hostNameIsNotAnAddressAndIsNeverLookedUp() {
        assertThatThrownBy(() -> column(Syntax.OCTETS, Source.ADDRESS_OCTETS, null).encode(reservation("ue7.example.net", 64_000, 20)))
                .isInstanceOf(Unencodable.class).hasMessageContaining("is not an IPv4 or IPv6 literal");
    }

    @Test
    void idLongerThanTheColumnAllowsIsUnencodable() {
        Column shortString = new Column("c", 2, Syntax.STRING, Source.ID, null, null, null, 0, 0, 20, true);

        assertThatThrownBy(() -> shortString.encode(reservation("10.1.0.7", 64_000, 20)))
                .isInstanceOf(Unencodable.class).hasMessageContaining("is " + ID.length() + " octets, more than 20");
    }

    @Test
    void numbersCompareAcrossTheirValueOnly() {
        assertThat(Column.same(new Gauge32(5), new Gauge32(5))).isTrue();
        assertThat(Column.same(new Integer32(5), new Gauge32(5))).isFalse();
        assertThat(Column.same(null, new Gauge32(5))).isFalse();
    }
}
