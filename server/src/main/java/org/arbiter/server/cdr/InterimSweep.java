package org.arbiter.server.cdr;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.arbiter.core.ledger.Ledger;
import org.arbiter.ledger.ExpiryScheduler;

/**
 * The periodic sweep that writes interim billing records ({@code cdr.interim-seconds}): a ledger
 * sweep like expiry, on the ledger's {@link ExpiryScheduler}, calling
 * {@link Ledger#writeInterim} with the clock's time. The records land in the ledger's {@code cdrs}
 * table and the {@link CdrExporter} copies them to the billing files with the final records.
 *
 * <p>The sweep runs every tenth of the interim interval, at least every second and at most every
 * 30 s apart, so an interim record is written at most that late. Several nodes may sweep one
 * database: the ledger writes each interim record once.
 *
 * <p>Errors: a failing sweep is logged and retried at the next tick (the scheduler's contract).
 */
public final class InterimSweep {

    /** Sessions per ledger call; a full batch is followed at once by the next. */
    static final int BATCH = 1000;

    private InterimSweep() {}

    /**
     * Starts the sweep, or returns empty when {@code interval} is zero (interim records off).
     *
     * @param written told the number of records each ledger call wrote (e.g. a metrics counter)
     * @throws IllegalArgumentException when {@code interval} is negative
     */
    public static Optional<ExpiryScheduler> start(Ledger ledger, Duration interval, Clock clock, IntConsumer written) {
        return start(ledger, interval, tick(interval), clock, written);
    }

    static Optional<ExpiryScheduler> start(Ledger ledger, Duration interval, Duration tick, Clock clock,
                                           IntConsumer written) {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(written, "written");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("cdr.interim-seconds: " + interval.toSeconds()
                    + " is negative; allowed 0 (off) or a number of seconds");
        }
        if (interval.isZero()) {
            return Optional.empty();
        }
        return Optional.of(ExpiryScheduler.start("interim", tick, BATCH, n -> {
            int w = ledger.writeInterim(clock.instant(), interval, n).size();
            written.accept(w);
            return w;
        }));
    }

    /** How often the sweep runs for an interim interval: a tenth of it, within 1..30 s. */
    static Duration tick(Duration interval) {
        Duration t = interval.dividedBy(10);
        if (t.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return t.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : t;
    }
}
