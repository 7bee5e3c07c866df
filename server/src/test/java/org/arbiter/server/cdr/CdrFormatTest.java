package org.arbiter.server.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;

class CdrFormatTest {

    static ChargingRecord record(String id, Instant stopped, String subscriber) {
        return new ChargingRecord(id, "pcscf.rx.test;2072389454;1", "icid-7", subscriber, "pcscf.rx.test",
                stopped.minusSeconds(90), stopped.minusSeconds(89), stopped,
                List.of(new ChargingRecord.ChargedFlow(new FlowKey(3, 3), Direction.UPLINK, "10.1.0.7", "line-7", 2_000_000, 46, 40),
                        new ChargingRecord.ChargedFlow(new FlowKey(3, 3), Direction.DOWNLINK, "10.1.0.7", "line-7", 1_500_000, 46, null)),
                true, "3f2a9c1d0b7e@2026-11-27T10:00:00Z", "premium-gamers", TerminationCause.DIAMETER_LOGOUT);
    }

    @Test
    void csvRowHasEveryColumnAndQuotesAwkwardValues() {
        String line = CdrFormat.CSV.line(record("r1", Instant.parse("2026-11-27T10:01:30Z"), "\"Alice, the gamer\" <sip:alice@rx.test>"));
        List<String> f = CdrFormat.splitCsv(line);

        assertThat(f).hasSize(CdrFormat.COLUMNS.size());
        assertThat(f.get(3)).isEqualTo("\"Alice, the gamer\" <sip:alice@rx.test>");
        assertThat(f.get(7)).isEqualTo("2026-11-27T10:01:30Z");
        assertThat(f.get(8)).isEqualTo("90000");
        assertThat(f.get(12)).isEqualTo("DIAMETER_LOGOUT");
        assertThat(f.get(13)).isEqualTo("3.3/UL/10.1.0.7/line-7/2000000/46/40;3.3/DL/10.1.0.7/line-7/1500000/46/");
    }

    @Test
    void jsonLineCarriesTheFlowsAsAnArray() throws Exception {
        String line = CdrFormat.JSONL.line(record("r1", Instant.parse("2026-11-27T10:01:30Z"), "sip:alice@rx.test"));
        var node = new ObjectMapper().readTree(line);

        assertThat(line).doesNotContain("\n");
        assertThat(node.get("modified").asBoolean()).isTrue();
        assertThat(node.get("flows")).hasSize(2);
        assertThat(node.get("flows").get(0).get("bandwidth_bps").asLong()).isEqualTo(2_000_000);
        assertThat(node.get("flows").get(1).has("max_latency_ms")).isFalse();
    }

    @Test
    void positionIsReadBackFromBothFormats() {
        ChargingRecord r = record("r9", Instant.parse("2026-11-27T10:01:30.123456Z"), "a,\"b\"");
        for (CdrFormat f : CdrFormat.values()) {
            assertThat(f.position(f.line(r))).isEqualTo(new RotatingCdrWriter.Position(r.stoppedAt(), "r9"));
        }
    }
}
