package org.arbiter.bench.rx;

import java.util.Arrays;

/**
 * A log-bucketed histogram of non-negative values (latencies in nanoseconds), in the manner of
 * HdrHistogram with a fixed precision: values below 128 are counted exactly; above, every power
 * of two is split into 64 equal buckets, so a reported value is at most 1/64 (1.6%) above the
 * value recorded. It covers the whole range of {@code long} in 3,712 counters (30 KiB).
 *
 * <p>Percentiles report the highest value of the bucket that holds the rank (never below the
 * recorded value, never above {@link #max()}). Not thread-safe: one histogram per recording
 * thread, merged with {@link #add(LatencyHistogram)} after the threads are done.
 */
public final class LatencyHistogram {

    private static final int EXACT = 128;
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = EXACT + (63 - 7) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long min = Long.MAX_VALUE;
    private long max;
    private double sum;

    /** Records one value; a negative value counts as 0. */
    public void record(long value) {
        long v = Math.max(0, value);
        counts[index(v)]++;
        count++;
        sum += v;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    static int index(long v) {
        if (v < EXACT) {
            return (int) v;
        }
        int m = 63 - Long.numberOfLeadingZeros(v);
        long top = v >>> (m - SUB_BITS);
        return EXACT + (m - 7) * SUB + (int) (top - SUB);
    }

    /** The highest value that falls into bucket {@code i}. */
    static long highest(int i) {
        if (i < EXACT) {
            return i;
        }
        int k = i - EXACT;
        int m = k / SUB + 7;
        long sub = k % SUB + SUB;
        long upper = ((sub + 1) << (m - SUB_BITS)) - 1;
        return upper < 0 ? Long.MAX_VALUE : upper;
    }

    /** How many values were recorded. */
    public long count() {
        return count;
    }

    /** The smallest value recorded, or 0 when empty. */
    public long min() {
        return count == 0 ? 0 : min;
    }

    /** The largest value recorded, or 0 when empty. */
    public long max() {
        return max;
    }

    /** The mean of the values recorded (exact), or 0 when empty. */
    public double mean() {
        return count == 0 ? 0 : sum / count;
    }

    /**
     * The value at a percentile: the smallest bucket bound such that at least {@code percentile}
     * percent of the values are at or below it, capped at {@link #max()}.
     *
     * @param percentile 0..100
     * @return the value, or 0 when nothing was recorded
     * @throws IllegalArgumentException when the percentile is outside 0..100
     */
    public long valueAt(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be within 0..100, was " + percentile);
        }
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highest(i), max);
            }
        }
        return max;
    }

    /** Adds every value of {@code other} to this histogram. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sum += other.sum;
        if (other.count > 0) {
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
        }
    }

    /** Forgets every value. */
    public void reset() {
        Arrays.fill(counts, 0);
        count = 0;
        sum = 0;
        min = Long.MAX_VALUE;
        max = 0;
    }
}
