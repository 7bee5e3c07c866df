package org.arbiter.bench.rx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void valuesBelow128AreCountedExactly() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 0; v < 128; v++) {
            h.record(v);
        }

        assertThat(h.valueAt(50)).isEqualTo(63);
        assertThat(h.valueAt(1)).isEqualTo(1);
        assertThat(h.valueAt(100)).isEqualTo(127);
        assertThat(h.count()).isEqualTo(128);
        assertThat(h.mean()).isEqualTo(63.5);
    }

    @Test
    void percentilesAreAtMostOneSixtyFourthAboveTheExactValue() {
        SplittableRandom random = new SplittableRandom(42);
        long[] values = new long[100_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(random.nextDouble(4, 22));
            h.record(values[i]);
        }
        Arrays.sort(values);

        for (double p : new double[] {1, 10, 50, 90, 99, 99.9, 99.99}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            assertThat(h.valueAt(p)).as("p%s", p).isBetween(exact, exact + exact / 64 + 1);
        }
    }

    @Test
    void theHundredthPercentileIsTheMaximum() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(5_000_123);
        h.record(17);

        assertThat(h.valueAt(100)).isEqualTo(5_000_123);
        assertThat(h.max()).isEqualTo(5_000_123);
        assertThat(h.min()).isEqualTo(17);
    }

    @Test
    void anEmptyHistogramReportsZero() {
        LatencyHistogram h = new LatencyHistogram();

        assertThat(h.valueAt(99)).isZero();
        assertThat(h.min()).isZero();
        assertThat(h.mean()).isZero();
    }

    @Test
    void negativeValuesCountAsZero() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);

        assertThat(h.valueAt(50)).isZero();
        assertThat(h.count()).isEqualTo(1);
    }

    @Test
    void theLargestLongIsRecordedInTheLastBucket() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(Long.MAX_VALUE);

        assertThat(h.valueAt(50)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void addingHistogramsEqualsRecordingEverythingInOne() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        LatencyHistogram all = new LatencyHistogram();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long v = random.nextLong(1, 50_000_000);
            (i % 3 == 0 ? a : b).record(v);
            all.record(v);
        }

        a.add(b);

        for (double p : new double[] {50, 90, 99, 99.9}) {
            assertThat(a.valueAt(p)).isEqualTo(all.valueAt(p));
        }
        assertThat(a.count()).isEqualTo(all.count());
        assertThat(a.min()).isEqualTo(all.min());
        assertThat(a.max()).isEqualTo(all.max());
    }

    @Test
    void resetForgetsEverything() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(1000);

        h.reset();

        assertThat(h.count()).isZero();
        assertThat(h.valueAt(50)).isZero();
    }

    @Test
    void aPercentileOutsideZeroToHundredIsRefused() {
        LatencyHistogram h = new LatencyHistogram();

        assertThatThrownBy(() -> h.valueAt(100.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100.5");
    }
}
