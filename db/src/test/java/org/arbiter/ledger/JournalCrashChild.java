package org.arbiter.ledger;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.session.TerminationCause;

/**
 * The process {@link JournalCrashIT} kills: it opens the journal ledger and admits, commits,
 * repeats and releases sessions from several threads, while another thread writes interim
 * records, until it is killed; every other session is admitted as the engine admits (its admission
 * made durable by the commit after it). It prints a line after each call has returned (so is durable):
 * {@code ADMITTED <sid>}, {@code COMMITTED <sid>}, {@code RELEASED <sid>}. Each worker keeps a
 * few sessions running and releases the oldest beyond them, so the replay mark moves on.
 *
 * <p>Arguments: JDBC URL, user, number of threads, and how often the writer moves the mark in
 * milliseconds (default as it runs).
 */
public final class JournalCrashChild {

    private static final int LIVE_PER_WORKER = 5;

    private JournalCrashChild() {}

    public static void main(String[] args) {
        LedgerConfig config = LedgerConfig.of(args[0], args[1], "");
        int threads = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Duration markEvery = args.length > 3 ? Duration.ofMillis(Long.parseLong(args[3])) : JournalLedger.MARK_EVERY;
        JournalLedger ledger = JournalLedger.open(config.withMaxPoolSize(threads + 2), markEvery);
        ScheduledExecutorService interims = Executors.newSingleThreadScheduledExecutor();
        interims.scheduleWithFixedDelay(() -> ledger.writeInterim(Instant.now(), Duration.ofMillis(50), 1_000),
                10, 10, TimeUnit.MILLISECONDS);
        out.println("READY");
        for (int t = 0; t < threads; t++) {
            int worker = t;
            new Thread(() -> run(ledger, worker, out), "journal-crash-worker-" + t).start();
        }
    }

    private static void run(JournalLedger ledger, int worker, PrintStream out) {
        Random rnd = new Random(worker);
        Deque<AdmissionRequest> live = new ArrayDeque<>();
        for (int i = 0; ; i++) {
            String sid = "c" + worker + "-" + i;
            AdmissionRequest r = CrashChild.randomRequest(ledger, rnd, sid, Duration.ofSeconds(60));
            if (i % 2 == 1) {
                // as the engine does: the admission is durable once the commit after it returns
                if (ledger.admitBeforeCommit(r).status() != Admission.Status.ADMITTED) {
                    continue;
                }
                if (ledger.commit(sid, Instant.now())) {
                    out.println("ADMITTED " + sid);
                    out.println("COMMITTED " + sid);
                }
            } else {
                if (ledger.admit(r).status() != Admission.Status.ADMITTED) {
                    continue;
                }
                out.println("ADMITTED " + sid);
                if (rnd.nextBoolean() && ledger.commit(sid, Instant.now())) {
                    out.println("COMMITTED " + sid);
                }
            }
            live.addLast(r);
            if (rnd.nextInt(4) == 0) {
                // the same request again: the session is unchanged, its authorization moves on
                AdmissionRequest first = live.peekFirst();
                Instant later = Instant.now();
                ledger.admit(new AdmissionRequest(first.sessionId(), first.originHost(), null, null,
                        first.decision(), first.holds(), later, later.plusSeconds(60), later.plus(Duration.ofHours(1))));
            }
            if (live.size() > LIVE_PER_WORKER) {
                String oldest = live.removeFirst().sessionId();
                ledger.release(oldest, TerminationCause.DIAMETER_LOGOUT, Instant.now());
                out.println("RELEASED " + oldest);
            }
        }
    }
}
