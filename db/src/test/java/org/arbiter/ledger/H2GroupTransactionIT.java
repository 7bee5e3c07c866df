package org.arbiter.ledger;

import static org.arbiter.ledger.LedgerFixtures.M;
import static org.arbiter.ledger.LedgerFixtures.T0;
import static org.arbiter.ledger.LedgerFixtures.hold;
import static org.arbiter.ledger.LedgerFixtures.path;
import static org.arbiter.ledger.LedgerFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.Ledger.LedgerException;
import org.arbiter.core.ledger.PathHop;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group transactions on H2: operations that queue for the writer run in one transaction, each in
 * its own savepoint. The test holds the writer lock while it queues the operations, so they form
 * exactly one group, in a known order.
 */
class H2GroupTransactionIT {

    @TempDir
    Path dir;

    private JdbcLedger ledger;
    private ExecutorService callers;

    @BeforeEach
    void open() {
        ledger = JdbcLedger.open(LedgerConfig.h2File(dir));
        ledger.applyTopology(LedgerFixtures.smallTopology(), false);
        callers = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() {
        callers.shutdownNow();
        ledger.close();
    }

    /** Queues the calls one after the other while the test holds the writer lock, then lets them run. */
    private List<Future<Object>> inOneGroup(List<java.util.concurrent.Callable<Object>> calls) throws Exception {
        ReentrantLock writer = ledger.writerLock();
        List<Future<Object>> out = new ArrayList<>();
        writer.lock();
        try {
            for (java.util.concurrent.Callable<Object> call : calls) {
                int before = ledger.pendingOperations();
                out.add(callers.submit(call));
                awaitQueued(before + 1);
            }
        } finally {
            writer.unlock();
        }
        return out;
    }

    private void awaitQueued(int operations) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ledger.pendingOperations() < operations) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("operation " + operations + " never queued for the writer");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
    }

    private AccessPath lineA() {
        return path(ledger, "10.0.0.7");
    }

    @Test
    void aRefusalAndAFailureInAGroupLeaveTheOtherOperationsCommitted() throws Exception {
        AccessPath ghost = new AccessPath("10.9.9.9", lineA().prefix(), List.of(new PathHop("ghost", "nowhere")));
        long[] countsBefore = ledger.groupCounts();

        List<Future<Object>> results = inOneGroup(List.of(
                () -> ledger.admit(request("s1", List.of(hold(lineA(), 1, Direction.UPLINK, 400_000)))),
                () -> ledger.admit(request("s2", List.of(hold(lineA(), 1, Direction.UPLINK, 400_000)))),
                () -> ledger.admit(request("s3", List.of(hold(lineA(), 1, Direction.UPLINK, 400_000)))),
                () -> ledger.admit(request("s4", List.of(hold(ghost, 1, Direction.UPLINK, 1_000)))),
                () -> ledger.commit("s1", T0.plusSeconds(1))));

        assertThat(((Admission) results.get(0).get(30, TimeUnit.SECONDS)).status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(((Admission) results.get(1).get(30, TimeUnit.SECONDS)).status()).isEqualTo(Admission.Status.ADMITTED);
        Admission refused = (Admission) results.get(2).get(30, TimeUnit.SECONDS);
        assertThat(refused.status()).isEqualTo(Admission.Status.INSUFFICIENT_CAPACITY);
        assertThat(refused.shortfalls()).extracting(Admission.Shortfall::availableBps).containsExactly(200_000L);
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> results.get(3).get(30, TimeUnit.SECONDS));
        assertThat(failed.getCause()).isInstanceOf(LedgerException.class).hasMessageContaining("ghost");
        assertThat(results.get(4).get(30, TimeUnit.SECONDS)).isEqualTo(true);

        long[] counts = ledger.groupCounts();
        assertThat(counts[0] - countsBefore[0]).as("group transactions").isEqualTo(1);
        assertThat(counts[1] - countsBefore[1]).as("operations in them").isEqualTo(5);
        assertThat(ledger.session("s3")).isEmpty();
        assertThat(ledger.session("s4")).isEmpty();
        assertThat(ledger.pool("line-a").orElseThrow().usedUplinkBps()).isEqualTo(800_000);
        assertThat(ledger.recount(false)).isEmpty();
    }

    @Test
    void aGroupIsDurableOnceItsCallersReturn() throws Exception {
        List<Future<Object>> results = inOneGroup(List.of(
                () -> ledger.admit(request("s1", List.of(hold(lineA(), 1, Direction.DOWNLINK, M)))),
                () -> ledger.admit(request("s2", List.of(hold(lineA(), 2, Direction.DOWNLINK, M / 2)))),
                () -> ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(2))));
        for (Future<Object> f : results) {
            f.get(30, TimeUnit.SECONDS);
        }
        ledger.close();

        ledger = JdbcLedger.open(LedgerConfig.h2File(dir));
        assertThat(ledger.session("s1")).hasValueSatisfying(v -> assertThat(v.holds())
                .noneMatch(h -> h.state().active()));
        assertThat(ledger.session("s2")).hasValueSatisfying(v -> assertThat(v.holds()).hasSize(3)
                .allMatch(h -> h.state().active()));
        assertThat(ledger.pool("line-a").orElseThrow().usedDownlinkBps()).isEqualTo(M / 2);
        assertThat(ledger.chargingRecords(T0, T0.plusSeconds(3), 10)).singleElement()
                .satisfies(r -> assertThat(r.sessionId()).isEqualTo("s1"));
    }
}
