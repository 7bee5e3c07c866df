package org.arbiter.diameter.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DictionaryTest {

    private final Dictionary d = Dictionary.standard();

    @Test
    void rxAvpsAre3gppVendorSpecificAndMandatory() {
        AvpDef codecData = d.avp("Codec-Data");

        assertThat(codecData.code()).isEqualTo(524);
        assertThat(codecData.vendorId()).isEqualTo(10415);
        assertThat(codecData.type()).isEqualTo(AvpType.OCTET_STRING);
        assertThat(codecData.flags()).isEqualTo(Avp.FLAG_VENDOR | Avp.FLAG_MANDATORY);
    }

    @Test
    void reservationPriorityIsEtsiWithoutMandatoryBit() {
        AvpDef rp = d.avp("Reservation-Priority");

        assertThat(d.avp(458, 13019)).isEqualTo(rp);
        assertThat(rp.flags()).isEqualTo(Avp.FLAG_VENDOR);
    }

    @Test
    void everyAvpIsFoundByItsCodeAndVendor() {
        assertThat(d.avps()).isNotEmpty().allSatisfy(a -> assertThat(d.avp(a.code(), a.vendorId())).isSameAs(a));
    }

    @Test
    void lookupByCodeAndVendorSeparatesVendors() {
        assertThat(d.avp(263, 0).name()).isEqualTo("Session-Id");
        assertThat(d.avp(263, 10415)).isNull();
    }

    @Test
    void commandsAndApplicationsAreNamed() {
        assertThat(d.command("AA")).isEqualTo(265);
        assertThat(d.commandName(275)).isEqualTo("Session-Termination");
        assertThat(d.commandName(999)).isEqualTo("Command-999");
        assertThat(d.application("Rx")).isEqualTo(16777236L);
        assertThat(d.application("Relay")).isEqualTo(0xFFFFFFFFL);
    }

    @Test
    void unknownNameIsAProgrammingError() {
        assertThatThrownBy(() -> d.avp("No-Such-AVP")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No-Such-AVP");
    }

    @Test
    void everyBasicAndDerivedTypeIsUsableFromTheFile() {
        assertThat(d.avps()).extracting(AvpDef::type).contains(AvpType.OCTET_STRING, AvpType.UNSIGNED32, AvpType.UNSIGNED64,
                AvpType.GROUPED, AvpType.ADDRESS, AvpType.TIME, AvpType.UTF8_STRING, AvpType.DIAMETER_IDENTITY,
                AvpType.DIAMETER_URI, AvpType.ENUMERATED, AvpType.IP_FILTER_RULE);
    }
}
