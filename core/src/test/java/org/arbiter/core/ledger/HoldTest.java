package org.arbiter.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.junit.jupiter.api.Test;

class HoldTest {

    @Test
    void theReservationIdNamesSessionFlowDirectionPartyAndPool() {
        FlowKey flow = new FlowKey(2, 13);
        Hold h = new Hold(7, "pcscf;1;2", flow, Direction.DOWNLINK, "10.0.0.1", "dslam-1-uplink", "dslam-1",
                64_000, 46, null, HoldState.RESERVED, Instant.EPOCH);

        String expected = "pcscf;1;2|" + flow + "|" + Direction.DOWNLINK.label() + "|10.0.0.1|dslam-1-uplink";
        assertThat(h.reservationId()).isEqualTo(expected).contains("|2.13|");
        assertThat(Hold.reservationId("pcscf;1;2", flow, Direction.DOWNLINK, "10.0.0.1", "dslam-1-uplink"))
                .isEqualTo(expected);
    }
}
