package org.arbiter.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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

    @Property(tries = 2000)
    void fieldsAreThoseOfTrimAndSplitOnSpaces(@ForAll("spaced") String v) {
        String t = v.trim();
        String[] expected = t.isEmpty() ? new String[0] : t.split(" +");

        assertThat(SdpSyntax.fields(v)).containsExactly(expected);
    }

    @Provide
    Arbitrary<String> spaced() {
        return Arbitraries.strings().withChars(' ', ' ', '\t', '\r', '\0', 'a', 'b', '0', '/', '\u00a0').ofMaxLength(20);
    }
}
