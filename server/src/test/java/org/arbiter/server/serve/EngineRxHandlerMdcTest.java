package org.arbiter.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The Rx front end puts {@code peer} and {@code session} into the MDC for a whole request; the
 * handler runs inside that and leaves them, so the front end's log lines after it carry them too.
 */
class EngineRxHandlerMdcTest {

    private final EngineRxHandler handler = new EngineRxHandler(ServeMetricsTest.engineWithoutMedia(), new SimpleMeterRegistry());

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void anAarLeavesThePeerAndTheSessionOfTheFrontEnd() {
        MDC.put("peer", "dra.test");
        MDC.put("session", "pcscf.test;1;1");

        ResultCode code = handler.authorize(ServeMetricsTest.withoutMedia("pcscf.test;1;1")).code();

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
}
