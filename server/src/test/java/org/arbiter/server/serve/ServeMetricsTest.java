package org.arbiter.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.arbiter.core.engine.AfNotifier;
import org.arbiter.core.engine.Enforcer;
import org.arbiter.core.engine.EngineSettings;
import org.arbiter.core.engine.PdpEngine;
import org.arbiter.core.ledger.InMemoryLedger;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.PolicyEngine;
import org.arbiter.core.policy.PolicyRequest;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SubscriptionId;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;

/** The meters `arbiter serve` keeps for the Rx requests: each series counts every request of its tags. */
class ServeMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private Counter counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter();
    }

    @Test
    void answeredRequestsAreCountedPerCommandAndResultCodeAndTimedPerCommand() {
        DiameterMetricsBinding metrics = new DiameterMetricsBinding(registry);

        metrics.requestAnswered("AA", 2001, Duration.ofMillis(5));
        metrics.requestAnswered("AA", 2001, Duration.ofMillis(5));
        metrics.requestAnswered("AA", 5012, Duration.ofMillis(7));
        metrics.requestAnswered("Session-Termination", 2001, Duration.ofMillis(1));

        assertThat(counter("arbiter_diameter_requests", "command", "AA", "result_code", "2001").count()).isEqualTo(2);
        assertThat(counter("arbiter_diameter_requests", "command", "AA", "result_code", "5012").count()).isEqualTo(1);
        assertThat(counter("arbiter_diameter_requests", "command", "Session-Termination", "result_code", "2001").count()).isEqualTo(1);
        Timer aa = registry.get("arbiter_diameter_request").tags("command", "AA").timer();
        assertThat(aa.count()).isEqualTo(3);
        assertThat(aa.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(17);
        assertThat(registry.get("arbiter_diameter_request").tags("command", "Session-Termination").timer().count()).isEqualTo(1);
    }

    /**
     * An engine with no pools, devices or policy to ask: it answers an AAR {@link #withoutMedia}
     * with INVALID_SERVICE_INFORMATION and an STR with DIAMETER_UNKNOWN_SESSION_ID.
     */
    static PdpEngine engineWithoutMedia() {
        PolicyEngine policy = new PolicyEngine() {
            @Override
            public Decision decide(PolicyRequest request) {
                throw new AssertionError("a request without media components is refused before the policy");
            }

            @Override
            public String version() {
                return "v1";
            }
        };
        return new PdpEngine(policy, new InMemoryLedger(Topology.of(List.of(), List.of())),
                new Enforcer(Map.of(), Duration.ofSeconds(1)), AfNotifier.NONE, EngineSettings.defaults(), Clock.systemUTC());
    }

    @Test
    void admissionsAndReleasesAreCountedPerResultAndCause() {
        EngineRxHandler handler = new EngineRxHandler(engineWithoutMedia(), registry);

        for (String session : List.of("s1", "s2")) {
            assertThat(handler.authorize(withoutMedia(session)).code()).isEqualTo(ResultCode.INVALID_SERVICE_INFORMATION);
        }
        handler.release("s1", TerminationCause.DIAMETER_LOGOUT);
        handler.release("s2", TerminationCause.DIAMETER_LOGOUT);
        handler.release("s3", TerminationCause.DIAMETER_ADMINISTRATIVE);

        assertThat(counter("arbiter_admissions", "result", "INVALID_SERVICE_INFORMATION").count()).isEqualTo(2);
        assertThat(registry.get("arbiter_authorize").timer().count()).isEqualTo(2);
        assertThat(counter("arbiter_releases", "result", "DIAMETER_UNKNOWN_SESSION_ID", "cause", "DIAMETER_LOGOUT").count()).isEqualTo(2);
        assertThat(counter("arbiter_releases", "result", "DIAMETER_UNKNOWN_SESSION_ID", "cause", "DIAMETER_ADMINISTRATIVE").count())
                .isEqualTo(1);
    }

    /** An AAR of {@code session} without media components. */
    static RxRequest withoutMedia(String session) {
        return new RxRequest(session, "pcscf.test", "test", List.of(new SubscriptionId(SubscriptionId.Type.END_USER_SIP_URI, "sip:alice@test")),
                "10.0.0.1", List.of(), Set.of(), null, null, Duration.ofMinutes(10), Instant.parse("2026-11-28T10:00:00Z"));
    }
}
