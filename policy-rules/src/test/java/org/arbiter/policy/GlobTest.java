package org.arbiter.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

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

    static Stream<Arguments> edges() {
        return Stream.of(
                // empty pattern and value
                arguments("", "", true),
                arguments("", "a", false),
                arguments("*", "", true),
                arguments("**", "", true),
                arguments("?", "", false),
                arguments("a*", "a", true),
                arguments("*a", "", false),
                // the fixed head and tail around the stars must not overlap in the value
                arguments("ab*ba", "aba", false),
                arguments("ab*ba", "abba", true),
                arguments("a*a", "a", false),
                arguments("a*a", "aa", true),
                arguments("?*?", "a", false),
                arguments("?*?", "ab", true),
                arguments("a*b*a", "aba", true),
                arguments("a*b*a", "aa", false),
                // the head and tail hold wildcards too
                arguments("s?p:*@?x", "sip:a@bx", true),
                arguments("s?p:*@?x", "sip:a@x", false),
                // case: ASCII letters only pair with their other case, other characters as Character has it
                arguments("SIP:*@EXAMPLE", "sip:a@example", true),
                arguments("@*", "`", false),
                arguments("[*", "{", false),
                arguments("^*", "~", false),
                arguments("\u00c9*", "\u00e9t\u00e9", true),
                arguments("*\u00c9T\u00c9", "\u00e9t\u00e9", true),
                arguments("\u212a*", "k", true),
                arguments("k*", "\u212a", true),
                arguments("\u0130*", "i", true),
                // a NUL is a character like any other, in the value and the pattern
                arguments("sip:*", "sip:a\u0000", true),
                arguments("sip:\u0000*", "sip:\u0000x", true),
                arguments("sip:\u0000", "sip:", false),
                // CR and LF are characters the stars take
                arguments("sip:*x", "sip:a\r\nx", true),
                arguments("sip:?x", "sip:\nx", true));
    }

    @ParameterizedTest
    @MethodSource("edges")
    void matchesAtTheEdges(String pattern, String value, boolean matches) {
        String p = unescape(pattern);
        String v = unescape(value);
        assertThat(new PolicySet.Glob(p).matches(v)).as("%s on %s", pattern, value).isEqualTo(matches);
        assertThat(reference(p, 0, v, 0)).as("the reference agrees on %s on %s", pattern, value).isEqualTo(matches);
    }

    @Test
    void agreesWithAPlainRecursiveMatcherOnRandomPatternsAndValues() {
        Random random = new Random(20261128);
        char[] pool = {'a', 'A', 'b', 'B', '@', '`', '.', '\u00e9', '\u00c9', '\u212a', 'k', '\u0000'};
        for (int n = 0; n < 20_000; n++) {
            String pattern = randomText(random, pool, 7, true);
            String value = randomText(random, pool, 9, false);
            assertThat(new PolicySet.Glob(pattern).matches(value)).as("%s on %s", pattern, value)
                    .isEqualTo(reference(pattern, 0, value, 0));
        }
    }

    private static String randomText(Random random, char[] pool, int max, boolean wildcards) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(max + 1);
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(pool.length + (wildcards ? 3 : 0));
            sb.append(pick < pool.length ? pool[pick] : pick == pool.length ? '?' : '*');
        }
        return sb.toString();
    }

    /** The definition, written as plainly as it reads. */
    private static boolean reference(String pattern, int p, String value, int i) {
        if (p == pattern.length()) {
            return i == value.length();
        }
        char c = pattern.charAt(p);
        if (c == '*') {
            return reference(pattern, p + 1, value, i) || i < value.length() && reference(pattern, p, value, i + 1);
        }
        return i < value.length()
                && (c == '?' || Character.toLowerCase(c) == Character.toLowerCase(value.charAt(i)))
                && reference(pattern, p + 1, value, i + 1);
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    case 'r' -> sb.append('\r');
                    case 'n' -> sb.append('\n');
                    default -> sb.append(n);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
