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

    @Test
    void theReservationIdIsBuiltOnceAndKeptAcrossStates() {
        Hold h = new Hold(7, "pcscf;1;2", new FlowKey(1, 1), Direction.UPLINK, "10.0.0.1", "line-1", "dslam-1",
                64_000, 46, 40, HoldState.RESERVED, Instant.EPOCH);

        String id = h.reservationId();
        Hold committed = h.withState(HoldState.COMMITTED, Instant.EPOCH.plusSeconds(60));

        assertThat(h.reservationId()).isSameAs(id);
        assertThat(committed.reservationId()).isSameAs(id);
        assertThat(committed.state()).isEqualTo(HoldState.COMMITTED);
        assertThat(committed.expiresAt()).isEqualTo(Instant.EPOCH.plusSeconds(60));
        Hold renumbered = h.withId(9, HoldState.COMMITTED, Instant.EPOCH.plusSeconds(90));
        assertThat(renumbered.reservationId()).isSameAs(id);
        assertThat(renumbered).isEqualTo(new Hold(9, "pcscf;1;2", new FlowKey(1, 1), Direction.UPLINK, "10.0.0.1",
                "line-1", "dslam-1", 64_000, 46, 40, HoldState.COMMITTED, Instant.EPOCH.plusSeconds(90)));
    }

    @Test
    void holdsAreEqualByTheirComponentsWhetherOrNotTheirIdWasBuilt() {
        Hold a = new Hold(7, "s", new FlowKey(1, 1), Direction.UPLINK, "10.0.0.1", "line-1", null,
                64_000, 46, null, HoldState.RESERVED, Instant.EPOCH);
        Hold same = new Hold(7, "s", new FlowKey(1, 1), Direction.UPLINK, "10.0.0.1", "line-1", null,
                64_000, 46, null, HoldState.RESERVED, Instant.EPOCH);
        a.reservationId();

        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same).hasToString(same.toString());
        assertThat(a.toString()).startsWith("Hold[holdId=7, sessionId=s, ").endsWith("state=RESERVED, expiresAt=" + Instant.EPOCH + "]");
        assertThat(a).isNotEqualTo(a.withState(HoldState.COMMITTED, Instant.EPOCH))
                .isNotEqualTo(new Hold(8, "s", new FlowKey(1, 1), Direction.UPLINK, "10.0.0.1", "line-1", null,
                        64_000, 46, null, HoldState.RESERVED, Instant.EPOCH))
                .isNotEqualTo(new Hold(7, "s", new FlowKey(1, 1), Direction.UPLINK, "10.0.0.1", "line-1", null,
                        64_000, 46, 40, HoldState.RESERVED, Instant.EPOCH));
    }
}
