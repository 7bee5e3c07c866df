package org.arbiter.ledger;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.ledger.Ledger;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.TerminationCause;

/**
 * The process {@link CrashRecoveryContract} kills: it admits, commits and releases sessions
 * from several threads until it is killed, and prints a line after each call has returned (so
 * is durable): {@code ADMITTED <sid>}, {@code COMMITTED <sid>}, {@code RELEASED <sid>}.
 *
 * <p>Arguments: JDBC URL, user, number of threads.
 */
public final class CrashChild {

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        LedgerConfig config = LedgerConfig.of(args[0], args[1], "");
        int threads = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(System.out, true, java.nio.charset.StandardCharsets.UTF_8);
        JdbcLedger ledger = JdbcLedger.open(config.withMaxPoolSize(threads + 1));
        out.println("READY");
        for (int t = 0; t < threads; t++) {
            int worker = t;
            Thread th = new Thread(() -> run(ledger, worker, out), "crash-worker-" + t);
            th.start();
        }
    }

    /**
     * A session of one flow, both directions of 10 to 100 kbit/s, on a random address of the
     * contended topology, reserved for {@code reserve} and authorized for an hour from now.
     */
    static AdmissionRequest randomRequest(Ledger ledger, Random rnd, String sid, Duration reserve) {
        String address = "10." + rnd.nextInt(4) + "." + rnd.nextInt(4) + ".9";
        AccessPath path = ledger.resolve(address).orElseThrow();
        Instant now = Instant.now();
        long bps = 10_000L * (1 + rnd.nextInt(10));
        return new AdmissionRequest(sid, "pcscf", null, null, LedgerFixtures.accept("r"),
                List.of(new HoldRequest(new FlowKey(1, 0), Direction.UPLINK, path, bps, 46, null),
                        new HoldRequest(new FlowKey(1, 0), Direction.DOWNLINK, path, bps, 46, null)),
                now, now.plus(reserve), now.plus(Duration.ofHours(1)));
    }

    private static void run(JdbcLedger ledger, int worker, PrintStream out) {
        Random rnd = new Random(worker);
        for (int i = 0; ; i++) {
            String sid = "c" + worker + "-" + i;
            AdmissionRequest r = randomRequest(ledger, rnd, sid, Duration.ofSeconds(30));
            if (ledger.admit(r).status() != Admission.Status.ADMITTED) {
                continue;
            }
            out.println("ADMITTED " + sid);
            if (rnd.nextBoolean()) {
                continue;
            }
            if (ledger.commit(sid, Instant.now())) {
                out.println("COMMITTED " + sid);
            }
            if (rnd.nextInt(3) == 0) {
                ledger.release(sid, TerminationCause.DIAMETER_LOGOUT, Instant.now());
                out.println("RELEASED " + sid);
            }
        }
    }
}
