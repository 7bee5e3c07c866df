package org.arbiter.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

    @Test
    void ipv4PrefixContainsItsHosts() {
        IpPrefix p = IpPrefix.parse("10.1.0.0/16");
        assertThat(p.contains("10.1.255.7")).isTrue();
        assertThat(p.contains("10.2.0.1")).isFalse();
        assertThat(p).hasToString("10.1.0.0/16");
    }

    @Test
    void ipv4PartsAreDecimalDigitsOnly() {
        assertThat(IpPrefix.parseAddress("10.1.0.7")).containsExactly(10, 1, 0, 7);
        assertThat(IpPrefix.parseAddress("10.1.0.+7")).isNull();
        assertThat(IpPrefix.parseAddress("10.1.x.7")).isNull();
        assertThat(IpPrefix.parseAddress("10.1..7")).isNull();
        assertThat(IpPrefix.parseAddress("10.1.0.256")).isNull();
        assertThat(IpPrefix.parseAddress("010.001.000.007")).containsExactly(10, 1, 0, 7);
        assertThat(IpPrefix.parseAddress("\u0661\u0660.1.0.7")).containsExactly(10, 1, 0, 7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.0.7.", ".10.1.0.7", "10.1.0", "10.1.0.7.1", "1000.1.0.7", "10.1.0.", "10", "...", "10.1.0.7 "})
    void ipv4NeedsExactlyFourPartsOfOneToThreeDigits(String text) {
        assertThat(IpPrefix.parseAddress(text)).isNull();
    }

    @Test
    void hostBitsAreCleared() {
        assertThat(IpPrefix.parse("10.1.2.3/8")).isEqualTo(IpPrefix.parse("10.0.0.0/8"));
    }

    @Test
    void ipv6PrefixWithCompressionContainsItsHosts() {
        IpPrefix p = IpPrefix.parse("2001:db8:1::/48");
        assertThat(p.contains("2001:db8:1:ff::7")).isTrue();
        assertThat(p.contains("2001:db8:2::1")).isFalse();
        assertThat(p.contains("10.0.0.1")).isFalse();
    }

    @Test
    void ipv4MappedTailParses() {
        assertThat(IpPrefix.parseAddress("::ffff:10.1.0.7")).hasSize(16).endsWith((byte) 10, (byte) 1, (byte) 0, (byte) 7);
    }

    @Test
    void bareAddressIsAHostPrefix() {
        assertThat(IpPrefix.parse("10.1.0.7").length()).isEqualTo(32);
        assertThat(IpPrefix.parse("::1").length()).isEqualTo(128);
    }

    @Test
    void overlapIsDetectedBothWays() {
        assertThat(IpPrefix.parse("10.0.0.0/8").overlaps(IpPrefix.parse("10.1.0.0/16"))).isTrue();
        assertThat(IpPrefix.parse("10.1.0.0/16").overlaps(IpPrefix.parse("10.0.0.0/8"))).isTrue();
        assertThat(IpPrefix.parse("10.1.0.0/16").overlaps(IpPrefix.parse("10.2.0.0/16"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.1.0", "10.1.0.256", "10.1.0.0/33", "10.1.0.0/x", "1:2:3:4:5:6:7:8:9", "1::2::3",
        "host.example.net", "fe80::g", "::1/129"})
    void malformedInputIsRejectedWithTheText(String text) {
        assertThatThrownBy(() -> IpPrefix.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
