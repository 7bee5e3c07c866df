package org.arbiter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.arbiter.core.adapter.OutcomeStatus;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.ledger.InMemoryLedger;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.Ledger;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionRelease;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.policy.PolicyEngine;
import org.arbiter.core.policy.PolicyRequest;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SpecificAction;
import org.arbiter.core.session.SubscriptionId;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PdpEngineTest {

    static final String ALICE = "10.1.0.7";
    static final String BOB = "10.2.0.9";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    final FakeDevice dslam = new FakeDevice("dslam-1");
    final FakeDevice cmts = new FakeDevice("cmts-1");
    final List<String> afEvents = new CopyOnWriteArrayList<>();
    InMemoryLedger ledger;
    Function<PolicyRequest, Decision> policy = PdpEngineTest::grantAsAsked;
    PdpEngine engine;

    @BeforeEach
    void setUp() {
        ledger = new InMemoryLedger(Topology.of(List.of(
                        new PoolSpec("bras", null, 100_000_000, 100_000_000, 1.0, null),
                        new PoolSpec("line-alice", "bras", 4_000_000, 8_000_000, 1.0, "dslam-1"),
                        new PoolSpec("cmts", null, 50_000_000, 200_000_000, 1.0, "cmts-1")),
                List.of(new Attachment(IpPrefix.parse(ALICE), "line-alice"), new Attachment(IpPrefix.parse(BOB), "cmts"))));
        engine = engineOn(ledger);
    }

    /** An engine on the given ledger, with this test's policy, devices, notifier and clock. */
    PdpEngine engineOn(Ledger onLedger) {
        AfNotifier notifier = new AfNotifier() {
            @Override
            public void notify(String sessionId, String originHost, SpecificAction action) {
                afEvents.add("notify " + sessionId + " " + action);
            }

            @Override
            public void abort(String sessionId, String originHost, String reason) {
                afEvents.add("abort " + sessionId);
            }
        };
        PolicyEngine pe = new PolicyEngine() {
            @Override
            public Decision decide(PolicyRequest r) {
                return policy.apply(r);
            }

            @Override
            public String version() {
                return "v1";
            }
        };
        return new PdpEngine(pe, onLedger, new Enforcer(Map.of("dslam-1", dslam, "cmts-1", cmts), Duration.ofSeconds(1)),
                notifier, new EngineSettings(Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofHours(24)), clock);
    }

    static Decision grantAsAsked(PolicyRequest r) {
        List<FlowGrant> g = new ArrayList<>();
        for (FlowRequirement f : r.flows()) {
            g.add(new FlowGrant(f.key(), "voice", f.uplink().bandwidthBps(), f.downlink().bandwidthBps(), 40, 46, 1, 2, false));
        }
        return Decision.accept(g, "v1", "grant-all", List.of("grant-all"));
    }

    static RxRequest aar(String session, String ue, long ulBps, long dlBps) {
        List<String> fd = List.of("permit out 17 from " + BOB + " 26000 to " + ue + " 16000",
                "permit in 17 from " + ue + " 16000 to " + BOB + " 26000");
        MediaComponent mc = new MediaComponent(1, MediaType.AUDIO, List.of(new MediaSubComponent(1, fd, null, 0, -1, -1)),
                ulBps, dlBps, -1, -1, FlowStatus.ENABLED, List.of());
        return new RxRequest(session, "pcscf.test", "test", List.of(new SubscriptionId(SubscriptionId.Type.END_USER_SIP_URI, "sip:alice@test")),
                ue, List.of(mc), Set.of(SpecificAction.INDICATION_OF_LOSS_OF_BEARER), null, null, Duration.ofMinutes(10),
                Instant.parse("2026-11-27T10:00:00Z"));
    }

    long usedUl(String pool) {
        return ledger.pools().stream().filter(p -> p.pool().id().equals(pool)).mapToLong(PoolUsage::usedUplinkBps).sum();
    }

    long usedDl(String pool) {
        return ledger.pools().stream().filter(p -> p.pool().id().equals(pool)).mapToLong(PoolUsage::usedDownlinkBps).sum();
    }

    @Test
    void acceptedSessionHoldsCapacityOnBothPathsAndIsCommitted() {
        AuthorizationResult r = engine.authorize(aar("s1", ALICE, 1_000_000, 2_000_000));

        assertThat(r.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
        assertThat(r.provisioned()).isTrue();
        assertThat(usedUl("line-alice")).isEqualTo(1_000_000);
        assertThat(usedDl("line-alice")).isEqualTo(2_000_000);
        // bob's side of the same flows, directions flipped
        assertThat(usedDl("cmts")).isEqualTo(1_000_000);
        assertThat(usedUl("cmts")).isEqualTo(2_000_000);
        assertThat(r.holds()).allMatch(h -> h.state() == HoldState.COMMITTED);
        assertThat(dslam.rows).hasSize(2);
        assertThat(cmts.rows).hasSize(2);
    }

    @Test
    void duplicateAarChangesNothing() {
        engine.authorize(aar("s1", ALICE, 1_000_000, 1_000_000));
        AuthorizationResult again = engine.authorize(aar("s1", ALICE, 1_000_000, 1_000_000));

        assertThat(again.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
        assertThat(usedUl("line-alice")).isEqualTo(1_000_000);
        assertThat(dslam.rows).hasSize(2);
    }

    @Test
    void updateAarAdjustsHoldsAndDevices() {
        engine.authorize(aar("s1", ALICE, 1_000_000, 1_000_000));
        AuthorizationResult up = engine.authorize(aar("s1", ALICE, 3_000_000, 500_000));

        assertThat(up.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
        assertThat(usedUl("line-alice")).isEqualTo(3_000_000);
        assertThat(usedDl("line-alice")).isEqualTo(500_000);
        assertThat(dslam.rows.values()).extracting(r -> r.rateBps()).containsExactlyInAnyOrder(3_000_000L, 500_000L);
    }

    @Test
    void insufficientCapacityGives5063WithWhatCouldBeGranted() {
        engine.authorize(aar("s1", ALICE, 3_000_000, 1_000_000));
        AuthorizationResult r = engine.authorize(aar("s2", ALICE, 2_000_000, 1_000_000));

        assertThat(r.code()).isEqualTo(ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED);
        assertThat(r.message()).contains("line-alice");
        assertThat(r.acceptable()).singleElement().satisfies(g -> {
            assertThat(g.uplinkBps()).isEqualTo(1_000_000);
            assertThat(g.downlinkBps()).isEqualTo(1_000_000);
        });
        assertThat(usedUl("line-alice")).isEqualTo(3_000_000);
        assertThat(ledger.session("s2")).isEmpty();
    }

    @Test
    void unknownSubscriberAddressGives5065() {
        AuthorizationResult r = engine.authorize(aar("s1", "192.0.2.1", 1_000, 1_000));

        assertThat(r.code()).isEqualTo(ResultCode.IP_CAN_SESSION_NOT_AVAILABLE);
        assertThat(r.message()).contains("192.0.2.1");
    }

    @Test
    void policyRejectGivesItsCodeAndReservesNothing() {
        policy = r -> Decision.reject(ResultCode.UNAUTHORIZED_NON_EMERGENCY_SESSION, "blocked", "v1", "block", List.of("block"));

        AuthorizationResult r = engine.authorize(aar("s1", ALICE, 1_000, 1_000));

        assertThat(r.code()).isEqualTo(ResultCode.UNAUTHORIZED_NON_EMERGENCY_SESSION);
        assertThat(r.decision().ruleId()).isEqualTo("block");
        assertThat(usedUl("line-alice")).isZero();
    }

    @Test
    void policyFailureFailsClosedWith5012() {
        policy = r -> {
            throw new IllegalStateException("broken rule set");
        };

        assertThat(engine.authorize(aar("s1", ALICE, 1_000, 1_000)).code()).isEqualTo(ResultCode.DIAMETER_UNABLE_TO_COMPLY);
        assertThat(usedUl("line-alice")).isZero();
    }

    @Test
    void deviceFailureRemovesWhatWasAppliedAndReleasesTheHolds() {
        cmts.refuseWith = OutcomeStatus.REJECTED;

        AuthorizationResult r = engine.authorize(aar("s1", ALICE, 1_000_000, 1_000_000));

        assertThat(r.code()).isEqualTo(ResultCode.TEMPORARY_NETWORK_FAILURE);
        assertThat(dslam.rows).isEmpty();
        assertThat(usedUl("line-alice")).isZero();
        assertThat(usedUl("cmts")).isZero();
        assertThat(ledger.chargingRecords()).singleElement()
                .satisfies(c -> assertThat(c.cause()).isEqualTo(TerminationCause.ENFORCEMENT_FAILED));
    }

    @Test
    void admitWithoutEnforcementSkipsTheDevices() {
        policy = r -> {
            Decision d = grantAsAsked(r);
            return new Decision(d.verdict(), d.grants(), null, d.reason(), "v1", "no-enforce", d.trace(), false);
        };
        cmts.refuseWith = OutcomeStatus.UNREACHABLE;

        assertThat(engine.authorize(aar("s1", ALICE, 1_000, 1_000)).code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
        assertThat(dslam.rows).isEmpty();
        assertThat(usedUl("line-alice")).isEqualTo(1_000);
    }

    @Test
    void releaseFreesCapacityRemovesReservationsAndWritesOneRecord() {
        engine.authorize(aar("s1", ALICE, 1_000_000, 1_000_000));

        ReleaseResult r = engine.release("s1", TerminationCause.DIAMETER_LOGOUT);

        assertThat(r.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
        assertThat(usedUl("line-alice")).isZero();
        assertThat(dslam.rows).isEmpty();
        assertThat(cmts.rows).isEmpty();
        assertThat(r.release().record().cause()).isEqualTo(TerminationCause.DIAMETER_LOGOUT);
        // alice's line and BRAS both ways, bob's CMTS both ways
        assertThat(r.release().record().flows()).hasSize(6);
        assertThat(engine.release("s1", TerminationCause.DIAMETER_LOGOUT).code()).isEqualTo(ResultCode.DIAMETER_UNKNOWN_SESSION_ID);
        assertThat(ledger.chargingRecords()).hasSize(1);
    }

    @Test
    void theAnswerToAnAuthorizationWaitsForTheLedgersDiskNotTheWorkerThread() {
        CountingLedger deferred = new CountingLedger(ledger);
        deferred.durable = new CompletableFuture<>();
        PdpEngine e = engineOn(deferred);

        CompletableFuture<AuthorizationResult> stage = e.authorizeAsync(aar("s1", ALICE, 1_000_000, 1_000_000)).toCompletableFuture();

        // the call returned with the devices configured and the commit queued, the answer pending
        assertThat(dslam.rows).hasSize(2);
        assertThat(ledger.session("s1").orElseThrow().holds()).allMatch(h -> h.state() == HoldState.COMMITTED);
        assertThat(stage).isNotDone();
        deferred.durable.complete(null);
        assertThat(stage.join().code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
        assertThat(stage.join().holds()).hasSize(6).allMatch(h -> h.state() == HoldState.COMMITTED);
    }

    @Test
    void anAuthorizationTheLedgerCannotMakeDurableIsAnswered5012() {
        CountingLedger failing = new CountingLedger(ledger);
        failing.durable = CompletableFuture.failedFuture(new Ledger.LedgerException("the disk is gone"));
        PdpEngine e = engineOn(failing);

        assertThat(e.authorizeAsync(aar("s1", ALICE, 1_000_000, 1_000_000)).toCompletableFuture().join().code())
                .isEqualTo(ResultCode.DIAMETER_UNABLE_TO_COMPLY);
        AuthorizationResult sync = e.authorize(aar("s2", ALICE, 1_000_000, 1_000_000));
        assertThat(sync.code()).isEqualTo(ResultCode.DIAMETER_UNABLE_TO_COMPLY);
        assertThat(sync.message()).contains("LedgerException");
    }

    @Test
    void aReleaseTakesTheReservationsOffTheDevicesBeforeItIsDurableAndAnswersAfter() {
        CountingLedger deferred = new CountingLedger(ledger);
        PdpEngine e = engineOn(deferred);
        e.authorize(aar("s1", ALICE, 1_000_000, 1_000_000));
        deferred.durable = new CompletableFuture<>();

        CompletableFuture<ReleaseResult> stage = e.releaseAsync("s1", TerminationCause.DIAMETER_LOGOUT).toCompletableFuture();

        assertThat(dslam.rows).isEmpty();
        assertThat(cmts.rows).isEmpty();
        assertThat(stage).isNotDone();
        deferred.durable.complete(null);
        assertThat(stage.join().code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
        assertThat(stage.join().release().holds()).hasSize(6);
    }

    @Test
    void aReleaseTheLedgerCannotMakeDurableFailsWithTheLedgersFailure() {
        CountingLedger failing = new CountingLedger(ledger);
        PdpEngine e = engineOn(failing);
        e.authorize(aar("s1", ALICE, 1_000_000, 1_000_000));
        e.authorize(aar("s2", ALICE, 1_000_000, 1_000_000));
        failing.durable = CompletableFuture.failedFuture(new Ledger.LedgerException("the disk is gone"));

        assertThat(e.releaseAsync("s1", TerminationCause.DIAMETER_LOGOUT).toCompletableFuture())
                .failsWithin(Duration.ZERO).withThrowableThat().havingRootCause().withMessage("the disk is gone");
        // the blocking call throws the ledger's own exception, not a wrapper
        assertThatThrownBy(() -> e.release("s2", TerminationCause.DIAMETER_LOGOUT))
                .isInstanceOf(Ledger.LedgerException.class).hasMessage("the disk is gone");
    }

    @Test
    void theExtractorUsesThePolicysMediaDefaults() {
        PolicyEngine withDefaults = new PolicyEngine() {
            @Override
            public Decision decide(PolicyRequest r) {
                return grantAsAsked(r);
            }

            @Override
            public String version() {
                return "v2";
            }

            @Override
            public org.arbiter.core.qos.MediaDefaults mediaDefaults() {
                return org.arbiter.core.qos.MediaDefaults.builtIn().withMediaType(MediaType.AUDIO, 777_000);
            }
        };
        PdpEngine e = new PdpEngine(withDefaults, ledger, new Enforcer(Map.of("dslam-1", dslam, "cmts-1", cmts), Duration.ofSeconds(1)),
                AfNotifier.NONE, EngineSettings.defaults(), clock);

        // no bandwidth AVPs and no SDP: only the media default can say
        AuthorizationResult r = e.authorize(aar("s1", ALICE, -1, -1));

        assertThat(r.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
        assertThat(usedUl("line-alice")).isEqualTo(777_000);
    }

    @Test
    void releaseOfUnknownSessionGives5002() {
        assertThat(engine.release("nope", TerminationCause.DIAMETER_LOGOUT).code()).isEqualTo(ResultCode.DIAMETER_UNKNOWN_SESSION_ID);
    }

    @Test
    void committedSessionExpiresAfterItsLifetimeAndTheAfIsAsked() {
        engine.authorize(aar("s1", ALICE, 1_000_000, 1_000_000));
        clock.advance(Duration.ofMinutes(9));
        assertThat(engine.expire(100)).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        var ended = engine.expire(100);

        assertThat(ended).singleElement().satisfies(e -> assertThat(e.record().cause()).isEqualTo(TerminationCause.DIAMETER_AUTH_EXPIRED));
        assertThat(usedUl("line-alice")).isZero();
        assertThat(dslam.rows).isEmpty();
        assertThat(afEvents).contains("abort s1");
    }

    @Test
    void reconcileReappliesWhatADeviceLostAndRemovesOrphans() {
        engine.authorize(aar("s1", ALICE, 1_000_000, 1_000_000));
        String lost = dslam.rows.keySet().iterator().next();
        var kept = dslam.rows.remove(lost);
        dslam.rows.put("orphan", new org.arbiter.core.adapter.DeviceReservation("orphan", "gone", "line-alice",
                org.arbiter.core.qos.Direction.UPLINK, ALICE, 1000, 1500, 0, null));

        ReconcileReport rep = engine.reconcile("dslam-1");

        assertThat(rep.reapplied()).containsExactly(lost);
        assertThat(rep.removed()).containsExactly("orphan");
        assertThat(dslam.rows).containsKey(lost).doesNotContainKey("orphan").containsValue(kept);
    }

    @Test
    void reconcileThatCannotReapplyReportsLossOfBearer() {
        engine.authorize(aar("s1", ALICE, 1_000_000, 1_000_000));
        dslam.rows.clear();
        dslam.refuseWith = OutcomeStatus.REJECTED;

        ReconcileReport rep = engine.reconcile("dslam-1");

        assertThat(rep.lost()).hasSize(2);
        assertThat(afEvents).contains("notify s1 INDICATION_OF_LOSS_OF_BEARER", "abort s1");
    }

    @Test
    void committedHoldsAreAnsweredWithoutReadingTheSession() {
        CountingLedger counting = new CountingLedger(ledger);

        AuthorizationResult r = engineOn(counting).authorize(aar("s1", ALICE, 1_000_000, 2_000_000));

        assertThat(r.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
        assertThat(counting.sessionReads).isZero();
        assertThat(r.holds()).hasSize(6)
                .allMatch(h -> h.state() == HoldState.COMMITTED && h.expiresAt().equals(clock.instant().plus(Duration.ofMinutes(10))));
        assertThat(r.holds()).containsExactlyInAnyOrderElementsOf(
                ledger.session("s1").orElseThrow().holds().stream().filter(h -> h.state().active()).toList());
    }

    @Test
    void updateThatShrinksTheSessionRemovesExactlyTheReleasedHoldsFromTheDevices() {
        CountingLedger counting = new CountingLedger(ledger);
        PdpEngine e = engineOn(counting);
        e.authorize(aar("s1", ALICE, 1_000_000, 1_000_000));
        Set<String> dslamBefore = Set.copyOf(dslam.rows.keySet());
        Set<String> cmtsBefore = Set.copyOf(cmts.rows.keySet());

        AuthorizationResult up = e.authorize(aar("s1", ALICE, 1_000_000, 0));

        assertThat(up.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
        assertThat(counting.sessionReads).isZero();
        // alice keeps her uplink, bob his downlink (the same flow seen from his side)
        assertThat(dslam.rows.keySet()).hasSize(1).isSubsetOf(dslamBefore);
        assertThat(cmts.rows.keySet()).hasSize(1).isSubsetOf(cmtsBefore);
        assertThat(dslam.rows.values()).allMatch(r -> r.direction() == org.arbiter.core.qos.Direction.UPLINK);
        assertThat(cmts.rows.values()).allMatch(r -> r.direction() == org.arbiter.core.qos.Direction.DOWNLINK);
        assertThat(usedDl("line-alice")).isZero();
        assertThat(usedUl("line-alice")).isEqualTo(1_000_000);
    }

    /** A ledger that counts session reads, and whose durability a test can hold back or fail. */
    static final class CountingLedger implements Ledger {
        private final Ledger delegate;
        volatile int sessionReads;

        CountingLedger(Ledger delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<AccessPath> resolve(String address) {
            return delegate.resolve(address);
        }

        @Override
        public Admission admit(AdmissionRequest request) {
            return delegate.admit(request);
        }

        @Override
        public boolean commit(String sessionId, Instant now) {
            return delegate.commit(sessionId, now);
        }

        @Override
        public Optional<SessionRelease> release(String sessionId, TerminationCause cause, Instant now) {
            return delegate.release(sessionId, cause, now);
        }

        @Override
        public List<SessionRelease> expire(Instant now, int limit) {
            return delegate.expire(now, limit);
        }

        @Override
        public synchronized Optional<SessionView> session(String sessionId) {
            sessionReads++;
            return delegate.session(sessionId);
        }

        @Override
        public List<PoolUsage> pools() {
            return delegate.pools();
        }

        @Override
        public List<Hold> activeHoldsOn(String deviceId) {
            return delegate.activeHoldsOn(deviceId);
        }

        @Override
        public void recordRejection(String sessionId, String originHost, Decision decision, Instant now) {
            delegate.recordRejection(sessionId, originHost, decision, now);
        }

        /** What {@link #whenDurable} returns: durable at once unless a test says otherwise. */
        volatile CompletableFuture<Void> durable = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> whenDurable() {
            return durable;
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
