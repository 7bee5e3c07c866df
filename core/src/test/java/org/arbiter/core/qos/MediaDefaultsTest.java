package org.arbiter.core.qos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.arbiter.core.session.MediaType;
import org.junit.jupiter.api.Test;

class MediaDefaultsTest {

    private static final MediaDefaults DEFAULTS = MediaDefaults.builtIn();

    @Test
    void knownCodecWinsOverTheMediaType() {
        assertThat(DEFAULTS.choose(MediaType.AUDIO, "G729")).isEqualTo(new MediaDefaults.Choice(24_000, "default for codec g729"));
    }

    @Test
    void unknownCodecFallsBackToTheMediaType() {
        assertThat(DEFAULTS.choose(MediaType.VIDEO, "h264")).isEqualTo(new MediaDefaults.Choice(128_000, "default for video"));
    }

    @Test
    void unlistedMediaTypeFallsBackToTheFallback() {
        assertThat(DEFAULTS.choose(MediaType.MESSAGE, null).bps()).isEqualTo(64_000);
    }

    @Test
    void policyOverrideOfACodecIgnoresCase() {
        assertThat(DEFAULTS.withCodec("OPUS", 40_000).choose(MediaType.AUDIO, "opus").bps()).isEqualTo(40_000);
    }

    @Test
    void zeroDefaultIsRefusedNamingTheEntry() {
        assertThatThrownBy(() -> new MediaDefaults(Map.of(MediaType.AUDIO, 0L), Map.of(), 1))
                .hasMessage("media defaults: media-types.AUDIO = 0 bit/s; a default must be >= 1 bit/s");
    }
}
