package org.arbiter.adapter.pcmm.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import org.arbiter.adapter.pcmm.cops.CopsException;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class PcmmCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final PcmmObject.Amid AMID = new PcmmObject.Amid(1, 42);

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static Inet6Address ip6(String literal) {
        try {
            return Inet6Address.getByAddress(null, io.netty.util.NetUtil.createByteArrayFromIpAddressString(literal), -1);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static GateSpec upstreamEf() {
        return new GateSpec(GateSpec.Direction.UPSTREAM, true, 46 << 2, 0xFC, new GateSpec.SessionClassId(5, true, 0), 0, 0, 0, 0);
    }

    static Classifier.Extended classifier() {
        return new Classifier.Extended(Classifier.PROTOCOL_ANY, 0, 0, (Inet4Address) ip("10.1.0.7"), (Inet4Address) ip("255.255.255.255"),
                (Inet4Address) ip("0.0.0.0"), (Inet4Address) ip("0.0.0.0"), 0, 65535, 0, 65535, 1, 64, 1, 0);
    }

    static TrafficProfile.FlowSpec flowSpec(float bytesPerSecond) {
        var e = new TrafficProfile.FlowSpec.Envelope(bytesPerSecond, 1500, bytesPerSecond, 64, 1500, bytesPerSecond, 0);
        return new TrafficProfile.FlowSpec(7, TrafficProfile.FlowSpec.GUARANTEED, List.of(e, e, e));
    }

    static PcmmCommand gateSet() {
        return PcmmCommand.of(7, GateCommand.GATE_SET, AMID, new PcmmObject.SubscriberId(ip("10.1.0.7")), upstreamEf(), flowSpec(8000),
                classifier(), new PcmmObject.OpaqueData(new byte[] {1, 2, 3, 4, 5}));
    }

    @Test
    void transactionIdAmidSubscriberAndGateSpecHaveTheirSpecifiedBytes() {
        byte[] b = PcmmCodec.encode(PcmmCommand.of(0x1234, GateCommand.GATE_SET_ACK, AMID, new PcmmObject.SubscriberId(ip("10.1.0.7")),
                new PcmmObject.GateId(0xCAFE), upstreamEf()));

        assertThat(HEX.formatHex(b)).isEqualTo("00080101" + "12340005" + "00080201" + "0001002a" + "00080301" + "0a010007"
                + "00080401" + "0000cafe" + "00100501" + "03b8fc0d" + "0000000000000000");
    }

    @Test
    void serviceClassNameIsNulTerminatedAndItsLengthIncludesThePadding() {
        byte[] b = PcmmCodec.encode(List.of(new TrafficProfile.ServiceClassName(7, "VOICE")));

        assertThat(HEX.formatHex(b)).isEqualTo("00100702" + "07000000" + HEX.formatHex("VOICE".getBytes()) + "000000");
    }

    @Test
    void extendedClassifierHasTheI05Layout() {
        assertThat(HEX.formatHex(PcmmCodec.encode(List.of(classifier())))).isEqualTo("00280602" + "01000000" + "0a010007" + "ffffffff"
                + "00000000" + "00000000" + "0000ffff" + "0000ffff" + "0001" + "40" + "01" + "00" + "000000");
    }

    @Test
    void flowSpecCarriesThreeEnvelopesOfFloats() {
        byte[] b = PcmmCodec.encode(List.of(flowSpec(8000)));

        assertThat(b).hasSize(4 + 4 + 3 * 28);
        assertThat(HEX.formatHex(b, 0, 8 + 4)).isEqualTo("005c0701" + "07020000" + "45fa0000");
    }

    @Test
    void gateSetRoundTrips() {
        PcmmCommand c = gateSet();

        assertThat(PcmmCodec.decode(PcmmCodec.encode(c))).isEqualTo(new PcmmCommand(c.transactionId(), List.of(c.objects().get(0),
                c.objects().get(1), c.objects().get(2), c.objects().get(3), c.objects().get(4),
                new PcmmObject.OpaqueData(new byte[] {1, 2, 3, 4, 5, 0, 0, 0}))));
    }

    @Test
    void everyObjectRoundTrips() throws Exception {
        var be = new TrafficProfile.BestEffort.Envelope(3, 0, 64_000, 1522, 64_000, 64, 1522, 1, 2, 3);
        var rtps = new TrafficProfile.RealTimePolling.Envelope(0x1F, 64_000, 1522, 64_000, 64, 1522, 20_000, 10_000, 0, 0, 0);
        var ugs = new TrafficProfile.UnsolicitedGrant.Envelope(0x17F, 160, 1, 20_000, 5_000, 0, 0, 0);
        var ds = new TrafficProfile.DownstreamService.Envelope(5, 1, 64_000, 1522, 64_000, 64, 100_000, 128_000, 0, 0, 0);
        List<PcmmObject> all = List.of(new PcmmObject.TransactionId(1, GateCommand.SYNCH_REPORT), AMID,
                new PcmmObject.SubscriberId(ip("10.1.0.7")), new PcmmObject.SubscriberId(ip6("2001:db8::1b")), new PcmmObject.GateId(0xFFFFFFFFL),
                upstreamEf(), classifier(),
                new Classifier.Legacy(17, 0xB8, 0xFC, (Inet4Address) ip("10.0.0.1"), (Inet4Address) ip("10.0.0.2"), 5004, 5006, 64),
                new Classifier.Ipv6(1, 0, 255, 0, 0xABCDE, 17, 128, 64, ip6("2001:db8::1b"), ip6("2001:db8:1::"), 1, 2, 3, 4, 9, 64, 1, 1),
                flowSpec(8000), new TrafficProfile.ServiceClassName(3, "EF_UP"), new TrafficProfile.BestEffort(7, List.of(be, be, be)),
                new TrafficProfile.RealTimePolling(1, List.of(rtps)), new TrafficProfile.UnsolicitedGrant(3, List.of(ugs, ugs)),
                new TrafficProfile.DownstreamService(7, List.of(ds, ds, ds)), new TrafficProfile.Carried(9, HEX.parseHex("07000000")),
                new PcmmObject.EventGenerationInfo((Inet4Address) ip("10.9.9.1"), 1813, (Inet4Address) ip("10.9.9.2"), 1813, 0x12345678L,
                        "CMTS0001", "EST5EDT", 99),
                new PcmmObject.VolumeBasedUsageLimit(1L << 40), new PcmmObject.TimeBasedUsageLimit(3600),
                new PcmmObject.OpaqueData(HEX.parseHex("0102030405060708")), new PcmmObject.GateTimeInfo(12),
                new PcmmObject.GateUsageInfo(123_456_789_012L), new PcmmObject.PacketCableError(PcmmErrorCode.INVALID_OBJECT, 0x0602),
                new PcmmObject.GateState(GateStateValue.COMMITTED, 0), new PcmmObject.VersionInfo(5, 0), new PcmmObject.Psid(77),
                new PcmmObject.SynchOptions(1, 0), new PcmmObject.MsgReceiptKey(0xDEADBEEFL), new PcmmObject.UserId("alice"),
                new PcmmObject.SharedResourceId(5));

        assertThat(PcmmCodec.decodeObjects(PcmmCodec.encode(all))).isEqualTo(all);
    }

    @Test
    void ipv4MappedIpv6SubscriberStaysIpv6() {
        PcmmObject.SubscriberId s = new PcmmObject.SubscriberId(ip6("::ffff:10.1.0.7"));

        assertThat(s.sType()).isEqualTo(2);
        assertThat(PcmmCodec.decodeObjects(PcmmCodec.encode(List.of(s)))).asInstanceOf(InstanceOfAssertFactories.LIST).singleElement()
                .isInstanceOfSatisfying(PcmmObject.SubscriberId.class, d -> assertThat(d.sType()).isEqualTo(2));
    }

    @Test
    void gateSetWithoutClassifierIsMissingRequiredObject6WithItsSNum() {
        PcmmCommand c = PcmmCommand.of(9, GateCommand.GATE_SET, AMID, new PcmmObject.SubscriberId(ip("10.1.0.7")), upstreamEf(),
                flowSpec(8000));

        assertThat(PcmmCodec.decode(PcmmCodec.encode(c))).isInstanceOfSatisfying(PcmmFault.class, f -> {
            assertThat(f.error()).isEqualTo(new PcmmObject.PacketCableError(PcmmErrorCode.MISSING_REQUIRED_OBJECT, 0x0601));
            assertThat(f.transactionId()).isEqualTo(9);
            assertThat(f.command()).isEqualTo(GateCommand.GATE_SET);
        });
    }

    @Test
    void blockNotStartingWithTransactionIdIsMissingRequiredObject() {
        byte[] b = PcmmCodec.encode(List.of(AMID, new PcmmObject.TransactionId(3, GateCommand.GATE_INFO)));

        assertThat(PcmmCodec.decode(b)).isInstanceOfSatisfying(PcmmFault.class,
                f -> assertThat(f.error()).isEqualTo(new PcmmObject.PacketCableError(PcmmErrorCode.MISSING_REQUIRED_OBJECT, 0x0101)));
    }

    @Test
    void unknownSNumIsInvalidObject7WithSNumAndSType() {
        byte[] b = HEX.parseHex("00080101" + "00050004" + "00081602" + "00000000");

        assertThat(PcmmCodec.decode(b)).isInstanceOfSatisfying(PcmmFault.class, f -> {
            assertThat(f.error()).isEqualTo(new PcmmObject.PacketCableError(PcmmErrorCode.INVALID_OBJECT, 0x1602));
            assertThat(f.transactionId()).isEqualTo(5);
        });
    }

    @Test
    void objectLengthNotAMultipleOfFourIsInvalidObject() {
        byte[] b = HEX.parseHex("00080101" + "00050004" + "00070201" + "00010000");

        assertThat(PcmmCodec.decode(b)).isInstanceOfSatisfying(PcmmFault.class,
                f -> assertThat(f.error()).isEqualTo(new PcmmObject.PacketCableError(PcmmErrorCode.INVALID_OBJECT, 0x0201)));
    }

    @Test
    void flowSpecWithFewerEnvelopesThanItsEnvelopeFieldIsInvalidObject() {
        byte[] one = PcmmCodec.encode(List.of(new TrafficProfile.FlowSpec(1, 2,
                List.of(new TrafficProfile.FlowSpec.Envelope(1, 1, 1, 1, 1, 1, 1)))));
        one[4] = 7;

        assertThat(PcmmCodec.decodeObjects(one)).isInstanceOfSatisfying(PcmmFault.class,
                f -> assertThat(f.error()).isEqualTo(new PcmmObject.PacketCableError(PcmmErrorCode.INVALID_OBJECT, 0x0701)));
    }

    @Test
    void envelopeOtherThan137IsInvalidFieldValue17() {
        byte[] b = PcmmCodec.encode(List.of(new TrafficProfile.ServiceClassName(7, "EF")));
        b[4] = 5;

        assertThat(PcmmCodec.decodeObjects(b)).isInstanceOfSatisfying(PcmmFault.class,
                f -> assertThat(f.error()).isEqualTo(new PcmmObject.PacketCableError(PcmmErrorCode.INVALID_FIELD_VALUE, 0x0702)));
    }

    @Test
    void serviceClassNameWithoutNulIsInvalidFieldValue() {
        byte[] b = HEX.parseHex("000c0702" + "07000000" + "41424344");

        assertThat(PcmmCodec.decodeObjects(b)).isInstanceOfSatisfying(PcmmFault.class,
                f -> assertThat(f.error().code()).isEqualTo(PcmmErrorCode.INVALID_FIELD_VALUE.code()));
    }

    @Test
    void unknownGateCommandIsError19KeepingTheTransactionId() {
        byte[] b = HEX.parseHex("00080101" + "0042000d" + "00080201" + "0001002a");

        assertThat(PcmmCodec.decode(b)).isInstanceOfSatisfying(PcmmFault.class, f -> {
            assertThat(f.error().code()).isEqualTo(PcmmErrorCode.UNKNOWN_GATE_COMMAND.code());
            assertThat(f.transactionId()).isEqualTo(0x42);
        });
    }

    @Test
    void gateStateOutsideOneToFiveIsInvalidFieldValue() {
        assertThat(PcmmCodec.decodeObjects(HEX.parseHex("00080f01" + "00090000"))).isInstanceOfSatisfying(PcmmFault.class,
                f -> assertThat(f.error()).isEqualTo(new PcmmObject.PacketCableError(PcmmErrorCode.INVALID_FIELD_VALUE, 0x0f01)));
    }

    @Test
    void gateSpecWithReservedFlagsIsInvalidFieldValue() {
        byte[] b = PcmmCodec.encode(List.of(upstreamEf()));
        b[4] = (byte) 0x83;

        assertThat(PcmmCodec.decodeObjects(b)).isInstanceOfSatisfying(PcmmFault.class,
                f -> assertThat(f.error().code()).isEqualTo(PcmmErrorCode.INVALID_FIELD_VALUE.code()));
    }

    @Test
    void truncatedBlockIsInvalidObject() {
        byte[] b = PcmmCodec.encode(gateSet());

        assertThat(PcmmCodec.decode(java.util.Arrays.copyOf(b, b.length - 6))).isInstanceOfSatisfying(PcmmFault.class,
                f -> assertThat(f.error().code()).isEqualTo(PcmmErrorCode.INVALID_OBJECT.code()));
    }

    @Test
    void sessionClassIdPacksPriorityPreemptionAndConfigurableBits() {
        GateSpec.SessionClassId s = new GateSpec.SessionClassId(5, true, 0xA);

        assertThat(s.toByte()).isEqualTo(0xAD);
        assertThat(GateSpec.SessionClassId.of(0xAD)).isEqualTo(s);
    }

    @Test
    void valuesOutOfRangeAreRefusedWhenBuilt() {
        assertThatThrownBy(() -> new TrafficProfile.ServiceClassName(7, "a name that is far too long"))
                .isInstanceOf(CopsException.class);
        assertThatThrownBy(() -> new TrafficProfile.FlowSpec(3, 2, List.of())).isInstanceOf(CopsException.class)
                .hasMessageContaining("needs 2");
        assertThatThrownBy(() -> new GateSpec.SessionClassId(8, false, 0)).isInstanceOf(CopsException.class);
        assertThatThrownBy(() -> new PcmmObject.GateId(-1)).isInstanceOf(CopsException.class);
    }
}
