package org.arbiter.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;

class ChargingRecordTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void theThirteenFieldConstructorMakesTheFirstFinalRecord() {
        ChargingRecord r = new ChargingRecord("r1", "s1", null, null, "af", T0, T0, T0.plusSeconds(5), List.of(),
                false, "v1", "rule", TerminationCause.DIAMETER_LOGOUT);

        assertThat(r.kind()).isEqualTo(ChargingRecord.Kind.STOP);
        assertThat(r.sequence()).isEqualTo(1);
    }

    @Test
    void anInterimRecordWithATerminationCauseIsRefused() {
        assertThatThrownBy(() -> new ChargingRecord("r1", "s1", null, null, "af", T0, T0, T0.plusSeconds(5),
                List.of(), false, "v1", "rule", TerminationCause.DIAMETER_LOGOUT, ChargingRecord.Kind.INTERIM, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("termination cause");
    }

    @Test
    void aSequenceBelowOneIsRefused() {
        assertThatThrownBy(() -> new ChargingRecord("r1", "s1", null, null, "af", T0, T0, T0.plusSeconds(5),
                List.of(), false, "v1", "rule", null, ChargingRecord.Kind.INTERIM, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequence");
    }

    @Test
    void anInterimRecordsDurationRunsFromAdmissionToTheRecord() {
        ChargingRecord r = new ChargingRecord("r1", "s1", null, null, "af", T0, T0.plusSeconds(1), T0.plusSeconds(300),
                List.of(), false, "v1", "rule", null, ChargingRecord.Kind.INTERIM, 2);

        assertThat(r.duration().toSeconds()).isEqualTo(300);
    }
}
