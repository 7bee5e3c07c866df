package org.arbiter.bench.rx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One command's latency per 100 ms window of send time, over a phase's measurement window: how
 * many requests each window sent, how many of them were answered later than a threshold (10 ms,
 * the AAR target of the issue) and the slowest. A percentile says how many answers were slow; the
 * timeline says whether they came together (a pause: a collection, a stalled thread, another
 * tenant's burst) or spread over the run (the target short of CPU throughout). The windows carry
 * wall-clock times, to be set beside a collector's log or a recording of the target.
 *
 * <p>Not thread-safe: one per recording thread, merged with {@link #add} afterwards.
 */
public final class LatencyTimeline {

    /** The width of a window. */
    public static final long WINDOW_NANOS = 100_000_000L;
    /** An answer later than this is slow. */
    public static final long SLOW_NANOS = 10_000_000L;

    private final long startNanos;
    private final long startEpochMillis;
    private final int[] sent;
    private final int[] slow;
    private final long[] max;

    /**
     * @param startNanos the start of the measurement window ({@link System#nanoTime()})
     * @param startEpochMillis the same instant on the wall clock
     * @param windowNanos the length of the measurement window
     */
    public LatencyTimeline(long startNanos, long startEpochMillis, long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("the window must be > 0 ns, was " + windowNanos);
        }
        this.startNanos = startNanos;
        this.startEpochMillis = startEpochMillis;
        int n = (int) Math.min(Integer.MAX_VALUE - 8, (windowNanos + WINDOW_NANOS - 1) / WINDOW_NANOS);
        this.sent = new int[n];
        this.slow = new int[n];
        this.max = new long[n];
    }

    /** Records one answer; a request sent outside the measurement window is ignored. */
    public void record(long sentNanos, long latencyNanos) {
        long i = (sentNanos - startNanos) / WINDOW_NANOS;
        if (sentNanos < startNanos || i >= sent.length) {
            return;
        }
        int w = (int) i;
        sent[w]++;
        if (latencyNanos > SLOW_NANOS) {
            slow[w]++;
        }
        if (latencyNanos > max[w]) {
            max[w] = latencyNanos;
        }
    }

    /** Adds another timeline of the same window (another connection's). */
    public void add(LatencyTimeline o) {
        if (o.startNanos != startNanos || o.sent.length != sent.length) {
            throw new IllegalArgumentException("timelines of different windows cannot be added");
        }
        for (int w = 0; w < sent.length; w++) {
            sent[w] += o.sent[w];
            slow[w] += o.slow[w];
            max[w] = Math.max(max[w], o.max[w]);
        }
    }

    /** A copy, for merging into. */
    public LatencyTimeline copy() {
        LatencyTimeline c = new LatencyTimeline(startNanos, startEpochMillis, (long) sent.length * WINDOW_NANOS);
        c.add(this);
        return c;
    }

    /**
     * One window that had slow answers.
     *
     * @param offsetMillis its start, from the start of the measurement window
     * @param epochMillis its start on the wall clock
     * @param sent requests sent in it (and answered)
     * @param slow of those, answered later than {@link #SLOW_NANOS}
     * @param maxMillis the slowest answer
     */
    public record Window(long offsetMillis, long epochMillis, int sent, int slow, double maxMillis) {}

    /** The windows with at least one slow answer, in time order. */
    public List<Window> slowWindows() {
        List<Window> out = new ArrayList<>();
        for (int w = 0; w < sent.length; w++) {
            if (slow[w] > 0) {
                long offset = w * (WINDOW_NANOS / 1_000_000);
                out.add(new Window(offset, startEpochMillis + offset, sent[w], slow[w], max[w] / 1e6));
            }
        }
        return out;
    }

    /** Answers recorded. */
    public long answers() {
        long n = 0;
        for (int s : sent) {
            n += s;
        }
        return n;
    }

    /** Slow answers recorded. */
    public long slowAnswers() {
        long n = 0;
        for (int s : slow) {
            n += s;
        }
        return n;
    }

    /** Windows that sent at least one request. */
    public int activeWindows() {
        int n = 0;
        for (int s : sent) {
            if (s > 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * The share of the slow answers that the {@code k} worst windows hold: near 1 when a few
     * pauses make the tail, near {@code k} over the windows with slow answers when it is spread.
     */
    public double shareOfWorst(int k) {
        long all = slowAnswers();
        if (all == 0) {
            return 0;
        }
        long top = slowWindows().stream().map(Window::slow).sorted(Comparator.reverseOrder()).limit(k)
                .mapToLong(Integer::longValue).sum();
        return (double) top / all;
    }

    /** One line for people: how many answers were slow and how they spread, with the worst windows. */
    public String summary(int worst) {
        List<Window> windows = slowWindows();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "over %d ms: %d of %d in %d of %d 100-ms windows; the worst %d windows hold %.0f%%",
                SLOW_NANOS / 1_000_000, slowAnswers(), answers(), windows.size(), activeWindows(), Math.min(worst, windows.size()),
                100 * shareOfWorst(worst)));
        List<Window> top = windows.stream().sorted(Comparator.comparingInt(Window::slow).reversed()).limit(worst)
                .sorted(Comparator.comparingLong(Window::offsetMillis)).toList();
        for (Window w : top) {
            sb.append(String.format(Locale.ROOT, "; +%.1fs %d/%d max %.1f ms", w.offsetMillis() / 1000.0, w.slow(), w.sent(), w.maxMillis()));
        }
        return sb.toString();
    }
}
