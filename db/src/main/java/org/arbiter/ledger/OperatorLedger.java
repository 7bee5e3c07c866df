package org.arbiter.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.Ledger;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.Topology;

/**
 * The ledger port plus what the operator's tools read and change: the topology, session lists,
 * the decision audit trail and the billing records. Two implementations: the relational
 * {@link JdbcLedger} (H2 or PostgreSQL, one or several nodes) and the {@link JournalLedger} (H2,
 * one node, sessions in memory and a journal on disk).
 */
public interface OperatorLedger extends Ledger {

    /**
     * Opens the ledger {@code arbiter serve} runs on.
     *
     * @param journal the journal ledger ({@code ledger.journal: true}) rather than the relational one
     */
    static OperatorLedger open(LedgerConfig config, boolean journal) {
        return journal ? JournalLedger.open(config) : JdbcLedger.open(config);
    }

    /**
     * Opens the ledger for the command-line tools, which read while the server may run: the
     * journal ledger then rebuilds its state without writing anything.
     */
    static OperatorLedger openForReading(LedgerConfig config, boolean journal) {
        return journal ? JournalLedger.openReadOnly(config) : JdbcLedger.open(config);
    }

    /** One pool's capacity, use and headroom, or empty when no such pool exists. */
    Optional<PoolUsage> pool(String poolId);

    /** The topology admissions are checked against. */
    Topology topology();

    /**
     * Makes the stored topology equal to {@code next}.
     *
     * @param force accept pools left below their current use
     * @throws TopologyConflictException when a pool in use would shrink below its use and
     *     {@code force} is false; nothing changes then
     */
    TopologyChange applyTopology(Topology next, boolean force);

    /**
     * Sessions, newest first, optionally only those of one subscriber and/or one requesting AF
     * ({@code null} matches any). The journal ledger lists running sessions only.
     */
    List<SessionSummary> sessions(String subscriber, String originHost, int limit);

    /**
     * Compares every pool's use counter with the sum of its active holds; with {@code repair},
     * sets the counters to those sums. Run at start-up: a counter that drifted (after a crash)
     * would otherwise admit too little or too much until someone looked.
     *
     * @return the pools and directions that differed (logged at WARN)
     */
    List<CounterDrift> recount(boolean repair);

    /** The most recent decisions of every session, newest first. */
    List<AuditedDecision> recentDecisions(int limit);

    /** The audit trail of one Session-Id, oldest first. */
    List<AuditedDecision> decisions(String sessionId);

    /**
     * The billing records that stopped in {@code [from, to)}, oldest first, at most
     * {@code limit}. For export in pages: pass the last record's stop time as the next
     * {@code from} and skip the ids already seen.
     */
    List<ChargingRecord> chargingRecords(Instant from, Instant to, int limit);

    /**
     * Why this ledger refuses every change until it is opened again, once it has failed closed
     * (the journal ledger after a failed journal write, force or mark, or once another node took
     * its journal over; a relational ledger that lost its claim of a PostgreSQL database to a
     * journal ledger); empty while it takes changes. Readiness reports it: reads may still
     * answer then, while every change is refused.
     */
    default Optional<String> failure() {
        return Optional.empty();
    }
}
