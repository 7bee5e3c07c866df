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

    @Property(tries = 5000)
    void rtpmapIsTheGrammarOverTheFields(@ForAll("rtpmaps") String v) {
        assertThat(SdpParser.rtpmap(v)).isEqualTo(rtpmapOverFields(v));
    }

    /** The rtpmap grammar read over split fields and substrings, as a reference. */
    private static boolean rtpmapOverFields(String v) {
        String[] f = SdpSyntax.fields(v);
        if (f.length != 2 || SdpSyntax.digits(f[0]) < 0) {
            return false;
        }
        String enc = f[1];
        int first = enc.indexOf('/');
        if (first < 0) {
            return false;
        }
        int second = enc.indexOf('/', first + 1);
        if (second >= 0 && (second == enc.length() - 1 || enc.indexOf('/', second + 1) >= 0)) {
            return false;
        }
        return SdpSyntax.isToken(enc.substring(0, first))
                && SdpSyntax.digits(enc.substring(first + 1, second < 0 ? enc.length() : second)) > 0;
    }

    @Provide
    Arbitrary<String> rtpmaps() {
        // pieces rather than characters, so that a good share of the values are well formed
        return Arbitraries.of(" ", " ", "  ", "\t", "/", "/", "0", "96", "PCMU", "opus", "8000", "2", "(", "\u00e9")
                .list().ofMaxSize(8).map(pieces -> String.join("", pieces));
    }

    @Provide
    Arbitrary<String> spaced() {
        return Arbitraries.strings().withChars(' ', ' ', '\t', '\r', '\0', 'a', 'b', '0', '/', '\u00a0').ofMaxLength(20);
    }
}
