package org.arbiter.core.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.TerminationCause;

/**
 * A billing record (CDR) for one QoS session. The final record ({@link Kind#STOP}) is written in
 * the transaction that ends the session; while a committed session runs, optional partial records
 * ({@link Kind#INTERIM}) are written every interim interval (the RFC 6733 INTERIM_RECORD and
 * STOP_RECORD of Accounting-Record-Type).
 *
 * <p>Every record of one session run carries {@code startedAt} (the admission) and describes the
 * session from then to {@code stoppedAt}: an interim record is cumulative up to the moment it was
 * written, the final record covers the whole session. The records of one run are numbered
 * 1, 2, ... in {@code sequence} (like Accounting-Record-Number); the final record has the highest
 * number, so a session with {@code n} interim records ends with record {@code n + 1}.
 *
 * @param recordId unique, stable id (never reused)
 * @param sessionId the Session-Id
 * @param chargingId AF-Charging-Identifier, or {@code null}
 * @param subscriber the subscriber (Subscription-Id data), or {@code null}
 * @param originHost the requesting AF
 * @param startedAt when the session was admitted
 * @param committedAt when devices confirmed, or {@code null} when never committed
 * @param stoppedAt when it ended (final record) or when the partial record was taken (interim)
 * @param flows what was reserved, per flow direction and pool (at {@code stoppedAt})
 * @param modified whether the grant modified what was asked
 * @param policyVersion the policy version that decided
 * @param ruleId the rule that decided
 * @param cause why it ended; {@code null} for an interim record
 * @param kind interim or final
 * @param sequence the record's number within its session run, from 1
 */
public record ChargingRecord(
        String recordId,
        String sessionId,
        String chargingId,
        String subscriber,
        String originHost,
        Instant startedAt,
        Instant committedAt,
        Instant stoppedAt,
        List<ChargedFlow> flows,
        boolean modified,
        String policyVersion,
        String ruleId,
        TerminationCause cause,
        Kind kind,
        int sequence) {

    /** Whether a record is partial (the session still runs) or final. */
    public enum Kind {
        /** A partial record of a running session (RFC 6733 INTERIM_RECORD). */
        INTERIM,
        /** The final record, written when the session ends (RFC 6733 STOP_RECORD). */
        STOP
    }

    /**
     * @throws IllegalArgumentException when {@code sequence} is below 1, or an interim record
     *     carries a termination cause
     */
    public ChargingRecord {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(kind, "kind");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be 1 or more, was " + sequence);
        }
        if (kind == Kind.INTERIM && cause != null) {
            throw new IllegalArgumentException("an interim record has no termination cause, was " + cause);
        }
        flows = List.copyOf(flows);
    }

    /** A final record, the first and only one of its session (sequence 1). */
    public ChargingRecord(String recordId, String sessionId, String chargingId, String subscriber, String originHost,
                          Instant startedAt, Instant committedAt, Instant stoppedAt, List<ChargedFlow> flows,
                          boolean modified, String policyVersion, String ruleId, TerminationCause cause) {
        this(recordId, sessionId, chargingId, subscriber, originHost, startedAt, committedAt, stoppedAt, flows,
                modified, policyVersion, ruleId, cause, Kind.STOP, 1);
    }

    /** How long the session held capacity up to this record: {@code stoppedAt - startedAt}. */
    public Duration duration() {
        return Duration.between(startedAt, stoppedAt);
    }

    /**
     * One charged flow direction on one pool.
     *
     * @param flow the flow
     * @param direction direction as seen from the party
     * @param partyAddress the subscriber address on whose path the pool lies
     * @param poolId the pool charged
     * @param bandwidthBps bit/s held
     * @param dscp marking
     * @param maxLatencyMs latency target, or {@code null}
     */
    public record ChargedFlow(FlowKey flow, Direction direction, String partyAddress, String poolId,
                              long bandwidthBps, int dscp, Integer maxLatencyMs) {}
}
