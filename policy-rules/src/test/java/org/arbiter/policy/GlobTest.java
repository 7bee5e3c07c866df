package org.arbiter.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Subscription-Id patterns: {@code *} any run, {@code ?} one character, case ignored, whole value. */
class GlobTest {

    @ParameterizedTest
    @CsvSource({
        "sip:*@pro.example, sip:dave@pro.example, true",
        "sip:*@pro.example, SIP:Dave@PRO.Example, true",
        "sip:*@pro.example, sip:dave@pro.example.net, false",
        "sip:*@pro.example, xsip:dave@pro.example, false",
        "tel:+4930111*, tel:+493011199, true",
        "tel:+4930111*, tel:+4930112, false",
        "sip:kid-*@*, sip:kid-sam@home.example, true",
        "sip:kid-*@*, sip:sam@home.example, false",
        "sip:?@x, sip:a@x, true",
        "sip:?@x, sip:ab@x, false",
        "*, anything, true",
        "*a*b*, xxaxxbxx, true",
        "*a*b*, xxbxxaxx, false",
        "sip:mallory@*, sip:mallory@, true",
        "exact, exact, true",
        "exact, exactly, false"})
    void matchesTheWholeValue(String pattern, String value, boolean matches) {
        assertThat(new PolicySet.Glob(pattern).matches(value)).isEqualTo(matches);
    }
}
