package org.arbiter.ledger;

import static org.arbiter.core.qos.Direction.DOWNLINK;
import static org.arbiter.core.qos.Direction.UPLINK;
import static org.arbiter.ledger.LedgerFixtures.hold;
import static org.arbiter.ledger.LedgerFixtures.path;
import static org.arbiter.ledger.LedgerFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.junit.jupiter.api.Test;

/**
 * Admission under concurrency: many threads, and on PostgreSQL two independent ledger instances
 * (two connection pools, as two nodes), against one contended topology.
 */
abstract class ConcurrencyContract {

    /** A configuration for a fresh, empty database. */
    protected abstract LedgerConfig freshDatabase();

    /** How many ledger instances share the database (nodes). */
    protected abstract int nodes();

    protected abstract int threadsPerNode();

    protected abstract String label();

    protected abstract int opsPerThread();

    /** Opens the first node, applies the topology, then opens the others (which load it). */
    private void openNodes(LedgerConfig config, List<JdbcLedger> ledgers, org.arbiter.core.ledger.Topology t) {
        ledgers.add(JdbcLedger.open(config.withMaxPoolSize(threadsPerNode() + 2)));
        ledgers.getFirst().applyTopology(t, false);
        for (int i = 1; i < nodes(); i++) {
            ledgers.add(JdbcLedger.open(config.withMaxPoolSize(threadsPerNode() + 2)));
        }
    }

    @Test
    void poolsAreNeverOverbookedAndNoHoldIsLostOrDuplicated() throws Exception {
        LedgerConfig config = freshDatabase();
        List<JdbcLedger> ledgers = new ArrayList<>();
        try {
            openNodes(config, ledgers, Hammer.contendedTopology());

            Hammer.Result r = new Hammer(ledgers, config).run(threadsPerNode(), opsPerThread());
            System.out.println(r.summary(label()) + "; " + ledgers.getFirst().durabilityStats());
            ledgers.getFirst().expire(Instant.now().plusSeconds(60), 1_000_000);

            assertThat(r.violations()).isEmpty();
            assertThat(r.samples()).isGreaterThan(10);
            assertThat(r.refused()).as("the topology must be contended for the test to mean anything").isPositive();
            assertThat(r.maxUtilisation()).isLessThanOrEqualTo(1.0).isGreaterThan(0.9);
            Map<String, Map<String, Long>> expected = r.expected().entrySet().stream()
                    .filter(e -> !e.getValue().isEmpty())
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(Hammer.activeHolds(config)).isEqualTo(expected);
            assertThat(Hammer.count(config, "SELECT COUNT(*) FROM decisions WHERE outcome = 'ADMITTED'"))
                    .isEqualTo(r.admitted());
            assertThat(Hammer.count(config, "SELECT COUNT(*) FROM decisions WHERE outcome = 'UNCHANGED'"))
                    .isEqualTo(r.unchanged());
            assertThat(ledgers.getFirst().recount(false)).isEmpty();
        } finally {
            ledgers.forEach(JdbcLedger::close);
        }
    }

    @Test
    void theSameRequestArrivingEverywhereAtOnceIsAdmittedOnce() throws Exception {
        LedgerConfig config = freshDatabase();
        List<JdbcLedger> ledgers = new ArrayList<>();
        int callers = nodes() * threadsPerNode();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            openNodes(config, ledgers, LedgerFixtures.smallTopology());
            AccessPath p = path(ledgers.getFirst(), "10.0.0.9");
            AdmissionRequest r = request("dup", List.of(hold(p, 1, UPLINK, 100_000), hold(p, 1, DOWNLINK, 200_000)));
            CyclicBarrier start = new CyclicBarrier(callers);
            List<Future<Admission>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                JdbcLedger l = ledgers.get(i % ledgers.size());
                results.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return l.admit(r);
                }));
            }
            List<Admission.Status> statuses = new ArrayList<>();
            for (Future<Admission> f : results) {
                statuses.add(f.get(60, TimeUnit.SECONDS).status());
            }

            assertThat(statuses).containsOnlyOnce(Admission.Status.ADMITTED)
                    .filteredOn(s -> s != Admission.Status.ADMITTED).containsOnly(Admission.Status.UNCHANGED);
            assertThat(Hammer.count(config, "SELECT COUNT(*) FROM holds")).isEqualTo(6);
            assertThat(ledgers.getFirst().pool("line-a").orElseThrow().usedDownlinkBps()).isEqualTo(200_000);
        } finally {
            pool.shutdownNow();
            ledgers.forEach(JdbcLedger::close);
        }
    }
}
