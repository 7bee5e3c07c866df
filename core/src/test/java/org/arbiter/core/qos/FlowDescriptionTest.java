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

    @Test
    void protocolIsLowerCasedAndKeptAsWritten() {
        assertThat(FlowDescription.parse("permit in IP from 10.0.0.1 to any").rule().protocol()).isEqualTo("ip");
        assertThat(FlowDescription.parse("permit in 017 from 10.0.0.1 to any").rule().protocol()).isEqualTo("017");
        assertThat(FlowDescription.parse("permit in 255 from 10.0.0.1 to any").rule().protocol()).isEqualTo("255");
        assertThat(FlowDescription.parse("permit in \u0130p from 10.0.0.1 to any").error()).isEqualTo(
                "Flow-Description 'permit in \u0130p from 10.0.0.1 to any': the protocol must be 'ip' or a number 0..255, "
                        + "found '\u0130p'");
    }

    @Test
    void negatedAnyAndMaskedAddressesAreRead() {
        FlowDescription rule = FlowDescription.parse("permit out 17 from !any to !10.0.0.7/24 5000").rule();

        assertThat(rule.source()).isNull();
        assertThat(rule.destination()).isEqualTo("10.0.0.7");
        assertThat(FlowDescription.parse("permit out 17 from !/24 to any").error()).endsWith(
                "the source '!/24' is not an address, 'any' or 'assigned'");
    }
}
