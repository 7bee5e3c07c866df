package org.arbiter.server.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arbiter.adapter.lab.LabDevice;
import org.arbiter.core.engine.AfNotifier;
import org.arbiter.core.engine.EngineSettings;
import org.arbiter.core.engine.Enforcer;
import org.arbiter.core.engine.PdpEngine;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SubscriptionId;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.ledger.OperatorLedger;
import org.arbiter.ledger.LedgerConfig;
import org.arbiter.ledger.TopologyFile;
import org.arbiter.policy.RulePolicyEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the billing record says for each way a session ends, through the engine on a real H2
 * ledger (the relational one here, the journal ledger in {@link JournalCdrContentIT}).
 */
class CdrContentIT {

    static final Path EXAMPLES = Path.of("..", "docs", "examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    OperatorLedger ledger;
    RulePolicyEngine rules;
    Enforcer enforcer;
    PdpEngine engine;
    final LabDevice cmts = new LabDevice("cmts-1");
    final MutableClock clock = new MutableClock(Instant.now());

    @BeforeEach
    void start() throws Exception {
        Path policy = Files.createDirectories(dir.resolve("policy"));
        for (String f : List.of("classes.yaml", "subscribers.yaml", "rules.yaml")) {
            Files.copy(EXAMPLES.resolve("policy").resolve(f), policy.resolve(f));
        }
        ledger = OperatorLedger.open(LedgerConfig.h2File(dir.resolve("ledger")), journal());
        ledger.applyTopology(TopologyFile.load(EXAMPLES.resolve("topology.yaml")), false);
        rules = RulePolicyEngine.load(policy);
        enforcer = new Enforcer(Map.of("dslam-1", new LabDevice("dslam-1"), "bras-1", new LabDevice("bras-1"), "cmts-1", cmts),
                Duration.ofSeconds(2));
        engine = new PdpEngine(rules, ledger, enforcer, AfNotifier.NONE,
                new EngineSettings(Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofHours(1)), clock);
    }

    @AfterEach
    void stop() {
        enforcer.close();
        rules.close();
        ledger.close();
    }

    /** Whether the ledger is the journal ledger rather than the relational one. */
    boolean journal() {
        return false;
    }

    RxRequest aar(String session, String subscriber, MediaType type, String codecOffer, String codecAnswer, long ul, long dl) {
        List<String> fd = List.of("permit out 17 from 10.2.0.9 26000 to 10.1.0.7 16000", "permit in 17 from 10.1.0.7 16000 to 10.2.0.9 26000");
        List<String> codec = codecOffer == null ? List.of() : List.of("uplink\noffer\n" + codecOffer + "\0", "downlink\nanswer\n" + codecAnswer + "\0");
        return new RxRequest(session, "pcscf.rx.test", "rx.test", List.of(new SubscriptionId(SubscriptionId.Type.END_USER_SIP_URI, subscriber)),
                "10.1.0.7", List.of(new MediaComponent(1, type, List.of(new MediaSubComponent(1, fd, null, 0, -1, -1)), ul, dl, -1, -1,
                        FlowStatus.ENABLED, codec)),
                Set.of(), "icid-" + session, null, Duration.ofMinutes(10), clock.instant());
    }

    RxRequest voice(String session) {
        return aar(session, "sip:alice@demo.arbiter", MediaType.AUDIO, null, null, 64_000, 80_000);
    }

    ChargingRecord onlyRecordOf(String session) {
        List<ChargingRecord> all = ledger.chargingRecords(Instant.EPOCH, clock.instant().plusSeconds(3600), 1000).stream()
                .filter(r -> r.sessionId().equals(session)).toList();
        assertThat(all).as("records of " + session).hasSize(1);
        return all.getFirst();
    }

    @Test
    void acceptedSessionRecordsWhatWasHeldAndWhy() {
        assertThat(engine.authorize(voice("acc;1")).code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
        clock.advance(Duration.ofSeconds(90));
        engine.release("acc;1", TerminationCause.DIAMETER_LOGOUT);

        ChargingRecord r = onlyRecordOf("acc;1");
        assertThat(r.cause()).isEqualTo(TerminationCause.DIAMETER_LOGOUT);
        assertThat(r.chargingId()).isEqualTo("icid-acc;1");
        assertThat(r.subscriber()).isEqualTo("sip:alice@demo.arbiter");
        assertThat(r.originHost()).isEqualTo("pcscf.rx.test");
        assertThat(r.committedAt()).isNotNull();
        assertThat(r.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(90));
        assertThat(r.modified()).isFalse();
        assertThat(r.ruleId()).isEqualTo("voice");
        assertThat(r.policyVersion()).isEqualTo(rules.version());
        assertThat(r.flows()).anySatisfy(f -> {
            assertThat(f.poolId()).isEqualTo("dsl-line-1");
            assertThat(f.bandwidthBps()).isEqualTo(64_000);
            assertThat(f.dscp()).isEqualTo(46);
        });
        assertThat(r.flows()).anySatisfy(f -> assertThat(f.poolId()).isEqualTo("cm-1"));
    }

    @Test
    void modifiedGrantIsMarked() {
        String offer = "m=application 16004 RTP/AVP 98\r\nb=AS:2000\r\na=rtpmap:98 x-game/90000\r\na=qos-class:fps-game\r\na=qos-latency:40\r\n";
        String answer = offer.replace("16004", "26004");
        assertThat(engine.authorize(aar("mod;1", "sip:alice@demo.arbiter", MediaType.APPLICATION, offer, answer, -1, -1)).code())
                .isEqualTo(ResultCode.DIAMETER_SUCCESS);
        engine.release("mod;1", TerminationCause.DIAMETER_LOGOUT);

        ChargingRecord r = onlyRecordOf("mod;1");
        assertThat(r.modified()).isTrue();
        assertThat(r.ruleId()).isEqualTo("basic-gaming-capped");
        assertThat(r.flows()).allSatisfy(f -> assertThat(f.bandwidthBps()).isLessThanOrEqualTo(1_000_000));
    }

    @Test
    void sessionRefusedByADeviceAfterReservingIsRecordedAsSuch() {
        cmts.inject(LabDevice.Failure.REJECT);

        assertThat(engine.authorize(voice("rej;1")).code()).isEqualTo(ResultCode.TEMPORARY_NETWORK_FAILURE);

        ChargingRecord r = onlyRecordOf("rej;1");
        assertThat(r.cause()).isEqualTo(TerminationCause.ENFORCEMENT_FAILED);
        assertThat(r.committedAt()).isNull();
    }

    @Test
    void expiredSessionIsRecordedOnce() {
        engine.authorize(voice("exp;1"));
        clock.advance(Duration.ofMinutes(11));

        assertThat(engine.expire(100)).hasSize(1);
        assertThat(engine.expire(100)).isEmpty();

        assertThat(onlyRecordOf("exp;1").cause()).isEqualTo(TerminationCause.DIAMETER_AUTH_EXPIRED);
        assertThat(engine.release("exp;1", TerminationCause.DIAMETER_LOGOUT).code()).isEqualTo(ResultCode.DIAMETER_UNKNOWN_SESSION_ID);
        onlyRecordOf("exp;1");
    }

    @Test
    void abortedSessionCarriesTheStrCause() {
        engine.authorize(voice("abt;1"));
        // after an ASR, the AF ends the session with an STR whose Termination-Cause is ADMINISTRATIVE
        engine.release("abt;1", TerminationCause.DIAMETER_ADMINISTRATIVE);
        engine.release("abt;1", TerminationCause.DIAMETER_ADMINISTRATIVE);

        assertThat(onlyRecordOf("abt;1").cause()).isEqualTo(TerminationCause.DIAMETER_ADMINISTRATIVE);
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId z) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
