package org.arbiter.bench.rx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyTimelineTest {

    private static final long MS = 1_000_000L;
    private static final long START = 5_000 * MS;
    private static final long EPOCH = 1_800_000_000_000L;

    @Test
    void slowAnswersAreCountedInTheWindowOfTheirSendTime() {
        LatencyTimeline t = new LatencyTimeline(START, EPOCH, 1_000 * MS);
        t.record(START + 5 * MS, 2 * MS);
        t.record(START + 250 * MS, 11 * MS);
        t.record(START + 299 * MS, 40 * MS);
        t.record(START + 300 * MS, 10 * MS); // exactly the threshold is not slow
        t.record(START + 999 * MS, 12 * MS);

        assertThat(t.answers()).isEqualTo(5);
        assertThat(t.slowAnswers()).isEqualTo(3);
        assertThat(t.activeWindows()).isEqualTo(4);
        assertThat(t.slowWindows()).containsExactly(
                new LatencyTimeline.Window(200, EPOCH + 200, 2, 2, 40.0),
                new LatencyTimeline.Window(900, EPOCH + 900, 1, 1, 12.0));
    }

    @Test
    void requestsSentOutsideTheMeasurementWindowAreIgnored() {
        LatencyTimeline t = new LatencyTimeline(START, EPOCH, 1_000 * MS);
        t.record(START - 1, 50 * MS);
        t.record(START + 1_000 * MS, 50 * MS);

        assertThat(t.answers()).isZero();
        assertThat(t.slowWindows()).isEmpty();
        assertThat(t.shareOfWorst(3)).isZero();
    }

    @Test
    void theShareOfTheWorstWindowsTellsAPauseFromASpreadTail() {
        LatencyTimeline pause = new LatencyTimeline(START, EPOCH, 10_000 * MS);
        LatencyTimeline spread = new LatencyTimeline(START, EPOCH, 10_000 * MS);
        for (int i = 0; i < 90; i++) {
            pause.record(START + 4_000 * MS + i * MS, 30 * MS);
            spread.record(START + i * 100 * MS, 30 * MS);
        }
        pause.record(START + 8_000 * MS, 11 * MS);

        assertThat(pause.shareOfWorst(1)).isEqualTo(90.0 / 91);
        assertThat(spread.shareOfWorst(1)).isEqualTo(1.0 / 90);
        assertThat(pause.summary(1)).startsWith("over 10 ms: 91 of 91 in 2 of 2 100-ms windows; the worst 1 windows hold 99%")
                .endsWith("; +4.0s 90/90 max 30.0 ms");
    }

    @Test
    void timelinesOfConnectionsAddUp() {
        LatencyTimeline a = new LatencyTimeline(START, EPOCH, 500 * MS);
        LatencyTimeline b = new LatencyTimeline(START, EPOCH, 500 * MS);
        a.record(START + 10 * MS, 20 * MS);
        b.record(START + 20 * MS, 30 * MS);
        b.record(START + 420 * MS, 1 * MS);

        LatencyTimeline sum = a.copy();
        sum.add(b);

        assertThat(sum.slowWindows()).containsExactly(new LatencyTimeline.Window(0, EPOCH, 2, 2, 30.0));
        assertThat(sum.answers()).isEqualTo(3);
        assertThat(a.answers()).as("the copy is its own").isEqualTo(1);
        assertThatThrownBy(() -> a.add(new LatencyTimeline(START + 1, EPOCH, 500 * MS)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
