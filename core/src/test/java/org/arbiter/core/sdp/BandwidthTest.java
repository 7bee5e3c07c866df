package org.arbiter.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BandwidthTest {

    @Test
    void typeIsComparedIgnoringCaseWhateverTheStringInstance() {
        Bandwidth parsed = SdpParser.parse("m=audio 1 RTP/AVP 0\nb=AS:64\nb=tias:64000\n").description().media()
                .getFirst().bandwidths().getFirst();

        assertThat(parsed.is(Bandwidth.AS)).isTrue();
        assertThat(parsed.is(new String("as"))).isTrue();
        assertThat(parsed.is(Bandwidth.TIAS)).isFalse();
        assertThat(new Bandwidth(new String("tias"), 1).is(Bandwidth.TIAS)).isTrue();
    }
}
