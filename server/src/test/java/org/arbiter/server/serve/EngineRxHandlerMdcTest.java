package org.arbiter.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The Rx front end puts {@code peer} and {@code session} into the MDC for a whole request; the
 * handler runs inside that and leaves them, so the front end's log lines after it carry them too.
 */
class EngineRxHandlerMdcTest {

    private final EngineRxHandler handler = new EngineRxHandler(new PdpEngine(new RefusingPolicy(),
            new InMemoryLedger(Topology.of(List.of(), List.of())), new Enforcer(Map.of(), Duration.ofSeconds(1)),
            AfNotifier.NONE, EngineSettings.defaults(), Clock.systemUTC()), new SimpleMeterRegistry());

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void anAarLeavesThePeerAndTheSessionOfTheFrontEnd() {
        MDC.put("peer", "dra.test");
        MDC.put("session", "pcscf.test;1;1");

        ResultCode code = handler.authorize(new RxRequest("pcscf.test;1;1", "pcscf.test", "test",
                List.of(new SubscriptionId(SubscriptionId.Type.END_USER_SIP_URI, "sip:alice@test")), "10.0.0.1", List.of(), Set.of(),
                null, null, Duration.ofMinutes(10), Instant.parse("2026-11-28T10:00:00Z"))).code();

        assertThat(code).isEqualTo(ResultCode.INVALID_SERVICE_INFORMATION);
        assertThat(MDC.get("peer")).isEqualTo("dra.test");
        assertThat(MDC.get("session")).isEqualTo("pcscf.test;1;1");
    }

    @Test
    void anStrLeavesThePeerAndTheSessionOfTheFrontEnd() {
        MDC.put("peer", "dra.test");
        MDC.put("session", "pcscf.test;1;2");

        ResultCode code = handler.release("pcscf.test;1;2", TerminationCause.DIAMETER_LOGOUT).code();

        assertThat(code).isEqualTo(ResultCode.DIAMETER_UNKNOWN_SESSION_ID);
        assertThat(MDC.get("peer")).isEqualTo("dra.test");
        assertThat(MDC.get("session")).isEqualTo("pcscf.test;1;2");
    }

    /** A request without media components is refused before the policy is asked. */
    private static final class RefusingPolicy implements PolicyEngine {
        @Override
        public Decision decide(PolicyRequest request) {
            throw new AssertionError("a request without media components is refused before the policy");
        }

        @Override
        public String version() {
            return "v1";
        }
    }
}
