package org.arbiter.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BandwidthTest {

    @ParameterizedTest
    @CsvSource({"64000, 64000", "64k, 64000", "1.5M, 1500000", "1M, 1000000", "2G, 2000000000", "0, 0",
        "'64 kbit/s', 64000", "100kbps, 100000", "1000G, 1000000000000"})
    void parsesNumbersAndSiUnits(String text, long bps) {
        assertThat(Bandwidth.parse(text)).isEqualTo(bps);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "1.5", "64K", "4Mb", "1e6", "fast", "1001G", "0.0001k"})
    void refusesWhatIsNotAWholeBandwidth(String text) {
        assertThat(Bandwidth.parse(text)).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource({"2000000, 2M", "1500000, 1500k", "64000, 64k", "12345, 12345", "0, 0", "3000000000, 3G"})
    void formatsInTheShortestExactForm(long bps, String text) {
        assertThat(Bandwidth.format(bps)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"2000000, 2M", "1500000, 1500k", "64000, 64k", "12345, 12345", "0, 0", "3000000000, 3G", "1, 1", "999, 999",
        "1000, 1k", "1000000000000, 1000G", "1001000, 1001k", "-1000, -1000", "-1, -1"})
    void appendsWhatFormatReturnsAfterWhatIsThere(long bps, String text) {
        assertThat(Bandwidth.append(new StringBuilder("UL "), bps)).hasToString("UL " + text);
        assertThat(Bandwidth.format(bps)).isEqualTo(text);
    }
}
