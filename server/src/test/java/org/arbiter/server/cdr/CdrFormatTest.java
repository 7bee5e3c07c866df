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

    static ChargingRecord interim(String id, Instant at, int sequence) {
        ChargingRecord r = record(id, at, "sip:alice@rx.test");
        return new ChargingRecord(r.recordId(), r.sessionId(), r.chargingId(), r.subscriber(), r.originHost(),
                r.startedAt(), r.committedAt(), r.stoppedAt(), r.flows(), r.modified(), r.policyVersion(), r.ruleId(),
                null, ChargingRecord.Kind.INTERIM, sequence);
    }

    @Test
    void csvRowEndsWithTheRecordKindAndSequence() {
        List<String> interim = CdrFormat.splitCsv(CdrFormat.CSV.line(interim("r1", Instant.parse("2026-11-27T10:01:30Z"), 2)));
        List<String> last = CdrFormat.splitCsv(CdrFormat.CSV.line(record("r2", Instant.parse("2026-11-27T10:01:30Z"), "x")));

        assertThat(CdrFormat.COLUMNS.subList(12, CdrFormat.COLUMNS.size()))
                .containsExactly("termination_cause", "flows", "record_kind", "record_seq");
        assertThat(interim).hasSize(CdrFormat.COLUMNS.size());
        assertThat(interim.get(12)).isEmpty();
        assertThat(interim.subList(14, 16)).containsExactly("INTERIM", "2");
        assertThat(last.subList(14, 16)).containsExactly("STOP", "1");
    }

    @Test
    void jsonLineCarriesTheRecordKindAndSequence() throws Exception {
        var node = new ObjectMapper().readTree(CdrFormat.JSONL.line(interim("r1", Instant.parse("2026-11-27T10:01:30Z"), 3)));

        assertThat(node.get("record_kind").asText()).isEqualTo("INTERIM");
        assertThat(node.get("record_seq").asInt()).isEqualTo(3);
        assertThat(node.get("termination_cause").isNull()).isTrue();
    }

    @Test
    void aCsvHeaderWithoutTheKindAndSequenceColumnsIsStillAHeader() {
        assertThat(CdrFormat.CSV.isHeader(CdrFormat.CSV.header())).isTrue();
        assertThat(CdrFormat.CSV.isHeader("record_id,session_id,charging_id,subscriber,origin_host,started_at,"
                + "committed_at,stopped_at,duration_ms,modified,policy_version,rule_id,termination_cause,flows")).isTrue();
        assertThat(CdrFormat.CSV.isHeader(CdrFormat.CSV.line(record("r1", Instant.parse("2026-11-27T10:01:30Z"), "x"))))
                .isFalse();
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
