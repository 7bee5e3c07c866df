package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LedgerConfigTest {

    @Test
    void toStringNeverShowsThePassword() {
        LedgerConfig c = LedgerConfig.of("jdbc:postgresql://db:5432/arbiter?password=s3cret&ssl=true", "arbiter", "hunter2");

        assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("s3cret").contains("password=****");
        assertThat(c.redactedUrl()).isEqualTo("jdbc:postgresql://db:5432/arbiter?password=****&ssl=true");
    }

    @Test
    void unsupportedUrlIsRefusedNamingWhatIsAllowed() {
        assertThatThrownBy(() -> LedgerConfig.of("jdbc:mysql://db/x", "u", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbcUrl: 'jdbc:mysql://db/x' is not supported")
                .hasMessageContaining("jdbc:postgresql://");
    }

    @Test
    void poolSizeOutOfRangeIsRefused() {
        assertThatThrownBy(() -> LedgerConfig.of("jdbc:h2:mem:x", "u", "").withMaxPoolSize(0))
                .hasMessage("maxPoolSize: 0 is out of range; allowed 1..500");
    }

    @Test
    void timeoutsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new LedgerConfig("jdbc:h2:mem:x", "u", "", 5, Duration.ofMillis(10),
                Duration.ofSeconds(1), Duration.ZERO)).hasMessageStartingWith("connectionTimeout: PT0.01S is out of range");
    }

    @Test
    void h2FileDefaultLivesInTheGivenDirectory() {
        assertThat(LedgerConfig.h2File(Path.of("/var/lib/arbiter")).jdbcUrl())
                .isEqualTo("jdbc:h2:file:/var/lib/arbiter/arbiter");
    }

    @Test
    void nullPasswordMeansNone() {
        assertThat(LedgerConfig.of("jdbc:h2:mem:x", "u", null).password()).isEmpty();
    }
}
