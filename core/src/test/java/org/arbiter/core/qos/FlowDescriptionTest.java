package org.arbiter.core.qos;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void portRangesAndListsAreSourcePorts() {
        assertThat(FlowDescription.parse("permit out 17 from 192.0.2.20 1000-2000,3000 to 10.0.0.7").error()).isNull();
    }

    @Test
    void aPortRangeWithTwoDashesIsRefused() {
        assertThat(FlowDescription.parse("permit out 17 from 192.0.2.20 1-2-3 to 10.0.0.7").error())
                .contains("source ports '1-2-3'");
    }

    @Test
    void anEmptyEntryInAPortListIsRefused() {
        assertThat(FlowDescription.parse("permit out 17 from 192.0.2.20 1000,,2000 to 10.0.0.7").error())
                .contains("source ports");
    }

    @Test
    void aPortAbove65535IsRefused() {
        assertThat(FlowDescription.parse("permit out 17 from 192.0.2.20 1-65536 to 10.0.0.7").error())
                .contains("source ports");
    }
}
