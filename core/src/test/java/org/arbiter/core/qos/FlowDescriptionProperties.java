package org.arbiter.core.qos;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class FlowDescriptionProperties {

    @Property(tries = 2000)
    void wordsAreThoseOfStripAndSplitOnWhiteSpace(@ForAll("spaced") String text) {
        String s = text.strip();
        String[] expected = s.isEmpty() ? new String[0] : s.split("\\s+");

        assertThat(FlowDescription.tokens(text)).containsExactly(expected);
    }

    @Provide
    Arbitrary<String> spaced() {
        return Arbitraries.strings()
                .withChars(' ', '\t', '\n', '\u000B', '\f', '\r', '\u001C', '\u2003', '\u00a0', 'a', '1', '.')
                .ofMaxLength(20);
    }
}
