package org.arbiter.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SdpSyntaxTest {

    @Test
    void fieldsAreSeparatedBySingleSpaces() {
        assertThat(SdpSyntax.fields("audio 49170 RTP/AVP 0")).containsExactly("audio", "49170", "RTP/AVP", "0");
    }

    @Test
    void runsOfSpacesSeparateLikeOneSpace() {
        assertThat(SdpSyntax.fields("IN   IP4  192.0.2.1")).containsExactly("IN", "IP4", "192.0.2.1");
    }

    @Test
    void blanksAtEitherEndGiveNoEmptyField() {
        assertThat(SdpSyntax.fields(" \t 0 PCMU/8000 \t\r")).containsExactly("0", "PCMU/8000");
    }

    @Test
    void aTabInsideTheValueBelongsToItsField() {
        assertThat(SdpSyntax.fields("IN\tIP4 192.0.2.1")).containsExactly("IN\tIP4", "192.0.2.1");
    }

    @Test
    void anEmptyValueHasNoField() {
        assertThat(SdpSyntax.fields("")).isEmpty();
    }

    @Test
    void aBlankValueHasNoField() {
        assertThat(SdpSyntax.fields("   \t ")).isEmpty();
    }

    @Test
    void oneFieldWithoutSpaceIsItself() {
        assertThat(SdpSyntax.fields("x")).containsExactly("x");
    }
}
