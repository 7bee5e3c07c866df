package org.arbiter.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;

class InMemoryLedgerInterimTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(300);

    private final InMemoryLedger ledger = new InMemoryLedger(Topology.of(
            List.of(new PoolSpec("line-a", null, 1_000_000, 2_000_000, 1.0, "dslam-1")),
            List.of(new Attachment(IpPrefix.parse("10.0.0.0/24"), "line-a"))));

    /** Admits at T0, reserved and authorized for an hour. */
    private void admittedSession(String id) {
        AccessPath p = ledger.resolve("10.0.0.7").orElseThrow();
        Decision d = Decision.accept(List.of(new FlowGrant(new FlowKey(1, 0), "voice", 64_000, 64_000, null, 46, 1, 5,
                false)), "v1", "r-voice", List.of());
        ledger.admit(new AdmissionRequest(id, "pcscf", "sip:alice@rx.test", "icid-" + id, d,
                List.of(new HoldRequest(new FlowKey(1, 0), Direction.UPLINK, p, 64_000, 46, null)),
                T0, T0.plusSeconds(3600), T0.plusSeconds(3600)));
    }

    /** Admits at T0 and commits one second later. */
    private void committedSession(String id) {
        admittedSession(id);
        ledger.commit(id, T0.plusSeconds(1));
    }

    @Test
    void noInterimRecordBeforeTheIntervalHasPassedSinceTheCommit() {
        committedSession("s1");

        assertThat(ledger.writeInterim(T0.plusSeconds(300), INTERVAL, 10)).isEmpty();
    }

    @Test
    void interimRecordsFollowEachIntervalAndTheFinalRecordTakesTheNextNumber() {
        committedSession("s1");

        List<ChargingRecord> first = ledger.writeInterim(T0.plusSeconds(301), INTERVAL, 10);
        assertThat(ledger.writeInterim(T0.plusSeconds(400), INTERVAL, 10)).isEmpty();
        List<ChargingRecord> second = ledger.writeInterim(T0.plusSeconds(601), INTERVAL, 10);
        ChargingRecord last = ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(700))
                .orElseThrow().record();

        assertThat(first).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(ChargingRecord.Kind.INTERIM);
            assertThat(r.sequence()).isEqualTo(1);
            assertThat(r.cause()).isNull();
            assertThat(r.duration()).isEqualTo(Duration.ofSeconds(301));
        });
        assertThat(second).singleElement().extracting(ChargingRecord::sequence).isEqualTo(2);
        assertThat(last.kind()).isEqualTo(ChargingRecord.Kind.STOP);
        assertThat(last.sequence()).isEqualTo(3);
        assertThat(last.duration()).isEqualTo(Duration.ofSeconds(700));
    }

    @Test
    void aSessionReleasedBeforeItsFirstIntervalGetsOnlyTheFinalRecord() {
        committedSession("s1");
        ledger.release("s1", TerminationCause.DIAMETER_LOGOUT, T0.plusSeconds(100));

        assertThat(ledger.writeInterim(T0.plusSeconds(1000), INTERVAL, 10)).isEmpty();
        assertThat(ledger.chargingRecords()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(ChargingRecord.Kind.STOP);
            assertThat(r.sequence()).isEqualTo(1);
        });
    }

    @Test
    void anUncommittedSessionGetsNoInterimRecord() {
        admittedSession("s1");

        assertThat(ledger.writeInterim(T0.plusSeconds(1000), INTERVAL, 10)).isEmpty();
    }
}
