package org.arbiter.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.junit.jupiter.api.Test;

class LedgerJsonTest {

    private static final ObjectMapper JSON = LedgerJson.mapper();

    @Test
    void aHoldIsWrittenWithItsComponentsInOrderAndWithoutItsReservationId() throws Exception {
        Hold h = new Hold(7, "pcscf;1;2", new FlowKey(1, 2), Direction.UPLINK, "10.0.0.7", "line-7", "dslam-1",
                64_000, 46, null, HoldState.COMMITTED, Instant.parse("2026-11-28T06:00:00Z"));
        h.reservationId();

        assertThat(JSON.writeValueAsString(List.of(h))).isEqualTo("[{\"holdId\":7,\"sessionId\":\"pcscf;1;2\","
                + "\"flow\":" + JSON.writeValueAsString(new FlowKey(1, 2)) + ",\"direction\":\"UPLINK\","
                + "\"partyAddress\":\"10.0.0.7\",\"poolId\":\"line-7\",\"deviceId\":\"dslam-1\",\"bandwidthBps\":64000,"
                + "\"dscp\":46,\"maxLatencyMs\":null,\"state\":\"COMMITTED\",\"expiresAt\":\"2026-11-28T06:00:00Z\"}]");
    }

    @Test
    void theLedgerCommandsMapperKnowsHolds() throws Exception {
        Hold h = new Hold(1, "s", null, Direction.DOWNLINK, "10.0.0.1", "p", null, 1, 0, 40, HoldState.RESERVED, null);

        assertThat(LedgerCommand.JSON.writeValueAsString(h)).contains("\"holdId\" : 1").contains("\"maxLatencyMs\" : 40");
    }
}
