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

    @Test
    void aTokenIsMadeOfTokenCharsOnly() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            assertThat(SdpSyntax.isToken("a" + c + "z")).as("U+%04X", (int) c).isEqualTo(SdpSyntax.isTokenChar(c));
        }
        assertThat(SdpSyntax.isToken("rtpmap")).isTrue();
        assertThat(SdpSyntax.isToken("")).isFalse();
        assertThat(SdpSyntax.isToken(null)).isFalse();
    }

    @Test
    void isTokenAgreesWithIsTokenCharForEveryCharacter() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String one = String.valueOf(c);
            assertThat(SdpSyntax.isToken(one)).as("U+%04X", (int) c).isEqualTo(SdpSyntax.isTokenChar(c));
            assertThat(SdpSyntax.isToken("a" + one + "b", 1, 2)).as("U+%04X inside", (int) c)
                    .isEqualTo(SdpSyntax.isTokenChar(c));
        }
        assertThat(SdpSyntax.isToken("")).isFalse();
        assertThat(SdpSyntax.isToken("abc", 2, 2)).isFalse();
    }

    @Test
    void regionIsComparesTheWordAtItsPlaceOnly() {
        assertThat(SdpSyntax.regionIs("a=sendrecv", 2, "sendrecv")).isTrue();
        assertThat(SdpSyntax.regionIs("a=sendrec", 2, "sendrecv")).isFalse();
        assertThat(SdpSyntax.regionIs("a=Sendrecv", 2, "sendrecv")).isFalse();
        assertThat(SdpSyntax.regionIs("ab", -1, "a")).isFalse();
        assertThat(SdpSyntax.regionIs("ab", 2, "")).isTrue();
    }
}
