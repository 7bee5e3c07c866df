package org.arbiter.ledger;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a ledger sweep periodically on one daemon thread, by default the expiry sweep (the interim
 * billing record sweep uses {@link #start(String, Duration, int, IntUnaryOperator)}): every
 * {@code interval} it calls
 * {@code sweep(batchSize)}, and calls it again at once while a sweep ends a full batch, so a
 * backlog drains without waiting for the next tick.
 *
 * <p>The server passes its engine's expiry, which expires in the ledger and removes the holds from
 * the devices: {@code ExpiryScheduler.start(Duration.ofSeconds(1), 200, n -> engine.expire(n).size())}.
 * With a bare ledger: {@code n -> ledger.expire(Instant.now(), n).size()}. Several nodes may sweep
 * the same database: each session is ended once, under its row lock.
 *
 * <p>A failing sweep is logged and retried at the next tick. {@link #close()} stops the thread
 * and waits up to 10 s for a running sweep.
 */
public final class ExpiryScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiryScheduler.class);
    /** Full batches run back to back in one tick at most this many times. */
    private static final int MAX_BATCHES_PER_TICK = 100;

    private final ScheduledExecutorService executor;
    private final String name;

    private ExpiryScheduler(ScheduledExecutorService executor, String name) {
        this.executor = executor;
        this.name = name;
    }

    /**
     * Starts sweeping.
     *
     * @param interval time between sweeps, 10 ms..1 h
     * @param batchSize sessions per sweep call, 1..10000
     * @param sweep ends at most its argument's number of stale sessions and returns how many it ended
     */
    public static ExpiryScheduler start(Duration interval, int batchSize, IntUnaryOperator sweep) {
        return start("expiry", interval, batchSize, sweep);
    }

    /**
     * Starts another sweep alike, e.g. {@code start("interim", tick, 1000, n ->
     * ledger.writeInterim(clock.instant(), interval, n).size())}.
     *
     * @param name names the thread ({@code arbiter-<name>}) and the log lines
     * @param interval time between sweeps, 10 ms..1 h
     * @param batchSize items per sweep call, 1..10000
     * @param sweep handles at most its argument's number of items and returns how many it handled
     */
    public static ExpiryScheduler start(String name, Duration interval, int batchSize, IntUnaryOperator sweep) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sweep, "sweep");
        if (interval == null || interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("interval: " + interval + " is out of range; allowed PT0.01S..PT1H");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " is out of range; allowed 1..10000");
        }
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "arbiter-" + name);
            t.setDaemon(true);
            return t;
        });
        ExpiryScheduler s = new ExpiryScheduler(ex, name);
        ex.scheduleWithFixedDelay(() -> s.tick(batchSize, sweep), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("{} sweep every {} in batches of {}", name, interval, batchSize);
        return s;
    }

    private void tick(int batchSize, IntUnaryOperator sweep) {
        try {
            for (int i = 0; i < MAX_BATCHES_PER_TICK; i++) {
                int handled = sweep.applyAsInt(batchSize);
                LOG.debug("{} sweep handled {} item(s)", name, handled);
                if (handled < batchSize) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("{} sweep failed; retrying at the next tick", name, e);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
