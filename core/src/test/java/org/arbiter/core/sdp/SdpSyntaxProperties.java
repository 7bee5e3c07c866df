package org.arbiter.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SdpSyntaxProperties {

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
