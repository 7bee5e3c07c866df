package org.arbiter.core.qos;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class FlowDescriptionTest {

    @Test
    void wordsAreSeparatedBySpaces() {
        assertThat(FlowDescription.tokens("permit in 17 from 10.0.0.1 to any"))
                .containsExactly("permit", "in", "17", "from", "10.0.0.1", "to", "any");
    }

    @Test
    void tabsAndRunsOfSpacesSeparateLikeOneSpace() {
        assertThat(FlowDescription.tokens("permit\tout  17 \t from")).containsExactly("permit", "out", "17", "from");
    }

    @Test
    void whiteSpaceAtEitherEndGivesNoEmptyWord() {
        assertThat(FlowDescription.tokens("\r\n permit out \t\f")).containsExactly("permit", "out");
    }

    @Test
    void aBlankRuleHasNoWord() {
        assertThat(FlowDescription.tokens(" \t\n")).isEmpty();
    }

    @Test
    void anEmptyRuleHasNoWord() {
        assertThat(FlowDescription.tokens("")).isEmpty();
    }

    @Test
    void aRuleWithTabsParsesLikeOneWithSpaces() {
        FlowDescription.Parsed p = FlowDescription.parse("permit\tout 17 from\t192.0.2.20 26000 to 10.0.0.7\t16000");

        assertThat(p.error()).isNull();
        assertThat(p.rule()).isEqualTo(new FlowDescription(Direction.DOWNLINK, "17", "192.0.2.20", "10.0.0.7"));
    }

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
