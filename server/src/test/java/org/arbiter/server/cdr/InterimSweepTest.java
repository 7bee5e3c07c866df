package org.arbiter.server.cdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.ledger.InMemoryLedger;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.ledger.ExpiryScheduler;
import org.arbiter.server.config.ConfigLoader;
import org.junit.jupiter.api.Test;

class InterimSweepTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    static InMemoryLedger ledgerWithACommittedSession() {
        InMemoryLedger ledger = new InMemoryLedger(Topology.of(
                List.of(new PoolSpec("line-1", null, 4_000_000, 8_000_000, 1.0, "dslam-1")),
                List.of(new Attachment(IpPrefix.parse("10.1.0.0/16"), "line-1"))));
        AccessPath p = ledger.resolve("10.1.0.7").orElseThrow();
        Decision d = Decision.accept(List.of(new FlowGrant(new FlowKey(1, 1), "voice", 64_000, 64_000, null, 46, 1, 5,
                false)), "v1", "voice", List.of());
        ledger.admit(new AdmissionRequest("s1", "pcscf.rx.test", "sip:alice@rx.test", "icid-1", d,
                List.of(new HoldRequest(new FlowKey(1, 1), Direction.UPLINK, p, 64_000, 46, null)),
                T0, T0.plusSeconds(3600), T0.plusSeconds(3600)));
        ledger.commit("s1", T0);
        return ledger;
    }

    @Test
    void aZeroIntervalStartsNoSweep() {
        assertThat(InterimSweep.start(ledgerWithACommittedSession(), Duration.ZERO, Clock.systemUTC(), n -> { }))
                .isEmpty();
    }

    @Test
    void aConfigurationWithoutInterimSecondsLeavesInterimRecordsOff() {
        var cfg = ConfigLoader.parse("arbiter.yaml", new StringReader("""
                diameter: {origin-host: pcrf.test, origin-realm: test}
                ledger: {topology: topology.yaml}
                policy: {dir: policy}
                admin: {enabled: false}
                """), Path.of("."));

        assertThat(cfg.cdr().interimInterval()).isZero();
        assertThat(InterimSweep.start(ledgerWithACommittedSession(), cfg.cdr().interimInterval(), Clock.systemUTC(),
                n -> { })).isEmpty();
    }

    @Test
    void aNegativeIntervalIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> InterimSweep.start(ledgerWithACommittedSession(), Duration.ofSeconds(-5),
                Clock.systemUTC(), n -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cdr.interim-seconds");
    }

    @Test
    void theSweepRunsEveryTenthOfTheIntervalWithinOneToThirtySeconds() {
        assertThat(InterimSweep.tick(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(1));
        assertThat(InterimSweep.tick(Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(12));
        assertThat(InterimSweep.tick(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theSweepWritesTheDueInterimRecordAtTheClocksTime() throws InterruptedException {
        InMemoryLedger ledger = ledgerWithACommittedSession();
        Clock clock = Clock.fixed(T0.plusSeconds(60), java.time.ZoneOffset.UTC);
        CountDownLatch wrote = new CountDownLatch(1);

        try (ExpiryScheduler s = InterimSweep.start(ledger, Duration.ofSeconds(60), Duration.ofMillis(10), clock, n -> {
            if (n > 0) {
                wrote.countDown();
            }
        }).orElseThrow()) {
            assertThat(wrote.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ledger.chargingRecords()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(ChargingRecord.Kind.INTERIM);
            assertThat(r.sequence()).isEqualTo(1);
            assertThat(r.stoppedAt()).isEqualTo(T0.plusSeconds(60));
        });
    }
}
