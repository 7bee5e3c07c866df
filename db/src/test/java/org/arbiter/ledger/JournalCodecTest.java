package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.PathHop;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.policy.Verdict;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;

/** The text form of journal rows: every value comes back equal, every damaged body is refused. */
class JournalCodecTest {

    private static final char SEP = JournalCodec.SEP;
    /** Characters the encoding must carry: its separator, its escape, its null marker, line breaks, non-ASCII. */
    private static final String AWKWARD = "a" + SEP + "b\\c \\N\\s\\\\ \n\r\t é ü € 漢字 😀 " + SEP + SEP + "\\";

    private static final Instant NOW = Instant.ofEpochSecond(1_893_456_000L, 123_456_789);

    private static AccessPath threeHops(String address, IpPrefix prefix) {
        return new AccessPath(address, prefix, List.of(new PathHop("line-a", "dslam-1"),
                new PathHop("dslam-1-up", "dslam-1"), new PathHop("bras-1", null)));
    }

    private static Decision modifiedDecision() {
        return new Decision(Verdict.ACCEPT_MODIFIED, List.of(
                new FlowGrant(new FlowKey(1, 0), "voice", 64_000, 80_000, 150, 46, 1, 2, false),
                new FlowGrant(new FlowKey(2, 3), null, 0, 5_000_000, null, 34, null, 9, true)),
                null, "granted with modification", "v7", "rule-" + SEP + "x",
                List.of("r1: matched", "", AWKWARD), true);
    }

    private static AdmissionRequest fullRequest() {
        AccessPath v4 = threeHops("10.0.0.7", IpPrefix.parse("10.0.0.0/24"));
        AccessPath v6 = new AccessPath("2001:db8:1:ff::5", IpPrefix.parse("2001:db8:1::/48"),
                List.of(new PathHop("line-b", "dslam-1"), new PathHop("bras-1", "bras-1")));
        return new AdmissionRequest("sess;" + AWKWARD, "pcscf.example.net", "sip:al\\N@example.net", "icid-1",
                modifiedDecision(), List.of(
                        new HoldRequest(new FlowKey(1, 0), Direction.UPLINK, v4, 64_000, 46, 150),
                        new HoldRequest(new FlowKey(1, 0), Direction.DOWNLINK, v4, 80_000, 46, null),
                        new HoldRequest(new FlowKey(2, 3), Direction.DOWNLINK, v6, 5_000_000, 34, 20)),
                NOW, NOW.plusSeconds(30), NOW.plusSeconds(3600).plusNanos(1));
    }

    private static AdmissionRequest roundTrip(AdmissionRequest r) {
        JournalCodec.Out o = new JournalCodec.Out();
        JournalCodec.request(o, r);
        JournalCodec.In in = new JournalCodec.In(o.toString());
        AdmissionRequest back = JournalCodec.request(in);
        in.end();
        return back;
    }

    private static ChargingRecord roundTrip(ChargingRecord c) {
        JournalCodec.Out o = new JournalCodec.Out();
        JournalCodec.record(o, c);
        JournalCodec.In in = new JournalCodec.In(o.toString());
        ChargingRecord back = JournalCodec.record(in);
        in.end();
        return back;
    }

    private static ChargingRecord record(ChargingRecord.Kind kind, Instant committedAt, TerminationCause cause,
                                         int sequence) {
        return new ChargingRecord("rec-" + AWKWARD, "s1", null, "sip:bob@example.net", "pcscf", NOW, committedAt,
                NOW.plusSeconds(95).plusNanos(7), List.of(
                        new ChargingRecord.ChargedFlow(new FlowKey(1, 0), Direction.UPLINK, "10.0.0.7", "line-a",
                                64_000, 46, null),
                        new ChargingRecord.ChargedFlow(new FlowKey(1, 2), Direction.DOWNLINK, "2001:db8:1::9",
                                "bras-1", 9_000_000_000L, 0, 250)),
                true, "v" + SEP, "rule\\", cause, kind, sequence);
    }

    /** The body of a valid request with one field replaced (fields counted from 1). */
    private static String withField(String body, int field, String value) {
        String[] parts = body.split(String.valueOf(SEP), -1);
        parts[field - 1] = value;
        return String.join(String.valueOf(SEP), parts);
    }

    private static String requestBody() {
        JournalCodec.Out o = new JournalCodec.Out();
        JournalCodec.request(o, fullRequest());
        return o.toString();
    }

    private static AdmissionRequest decodeRequest(String body) {
        JournalCodec.In in = new JournalCodec.In(body);
        AdmissionRequest r = JournalCodec.request(in);
        in.end();
        return r;
    }

    // ---- round trips

    @Test
    void anAdmissionRequestWithEveryKindOfValueComesBackEqual() {
        AdmissionRequest r = fullRequest();
        AdmissionRequest back = roundTrip(r);

        assertThat(back).isEqualTo(r);
        assertThat(back.decision()).isEqualTo(r.decision());
        assertThat(back.decision().grants()).isEqualTo(r.decision().grants());
        assertThat(back.decision().trace()).containsExactly("r1: matched", "", AWKWARD);
        assertThat(back.holds().get(2).path().prefix()).isEqualTo(IpPrefix.parse("2001:db8:1::/48"));
        assertThat(back.holds().getFirst().path().hops()).extracting(PathHop::deviceId)
                .containsExactly("dslam-1", "dslam-1", null);
        assertThat(back.authorizedUntil().getNano()).isEqualTo(123_456_790);
    }

    @Test
    void nullsStayNullAndAPathWithoutPrefixStaysWithoutOne() {
        AccessPath noPrefix = new AccessPath("10.9.9.9", null, List.of(new PathHop("solo", null)));
        AdmissionRequest r = new AdmissionRequest("s2", null, null, null,
                Decision.reject(ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED, null, "v1", "deny", List.of()),
                List.of(new HoldRequest(new FlowKey(0, 0), Direction.UPLINK, noPrefix, 0, 0, null)),
                NOW, NOW, NOW);
        AdmissionRequest back = roundTrip(r);

        assertThat(back).isEqualTo(r);
        assertThat(back.originHost()).isNull();
        assertThat(back.subscriber()).isNull();
        assertThat(back.chargingId()).isNull();
        assertThat(back.decision().reason()).isNull();
        assertThat(back.decision().rejectCode()).isEqualTo(ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED);
        assertThat(back.holds().getFirst().path().prefix()).isNull();
        assertThat(back.holds().getFirst().maxLatencyMs()).isNull();
    }

    @Test
    void theTextBackslashNIsNotNullAndTheEmptyStringIsNotNull() {
        for (String s : new String[] {"\\N", "\\", "", "\\s", String.valueOf(SEP), "\\\\N", "N"}) {
            String body = new JournalCodec.Out().str(s).str(null).str(s).toString();
            JournalCodec.In in = new JournalCodec.In(body);

            assertThat(in.str()).as("'%s'", s).isEqualTo(s);
            assertThat(in.str()).isNull();
            assertThat(in.str()).isEqualTo(s);
            in.end();
        }
    }

    @Test
    void anEncodedFieldNeverContainsTheSeparator() {
        String body = new JournalCodec.Out().str(AWKWARD).num(-5).toString();

        assertThat(body.split(String.valueOf(SEP), -1)).hasSize(2);
        assertThat(body).contains("\n").contains("漢字");
    }

    @Test
    void aStopRecordAndAnInterimRecordComeBackEqual() {
        ChargingRecord stop = record(ChargingRecord.Kind.STOP, NOW.plusSeconds(1), TerminationCause.DIAMETER_LOGOUT, 4);
        ChargingRecord interim = record(ChargingRecord.Kind.INTERIM, NOW.plusMillis(1), null, 3);

        assertThat(roundTrip(stop)).isEqualTo(stop);
        assertThat(roundTrip(interim)).isEqualTo(interim);
        assertThat(roundTrip(interim).flows().get(1).bandwidthBps()).isEqualTo(9_000_000_000L);
    }

    @Test
    void aRecordNeverCommittedKeepsItsNullCommitTimeAndItsNulls() {
        ChargingRecord r = new ChargingRecord("r", "s", null, null, null, NOW, null, NOW.plusSeconds(30), List.of(),
                false, "v1", "rule", TerminationCause.HOLD_EXPIRED, ChargingRecord.Kind.STOP, 1);
        ChargingRecord back = roundTrip(r);

        assertThat(back).isEqualTo(r);
        assertThat(back.committedAt()).isNull();
        assertThat(back.flows()).isEmpty();
        ChargingRecord interimWithoutCause = roundTrip(record(ChargingRecord.Kind.INTERIM, null, null, 1));
        assertThat(interimWithoutCause.cause()).isNull();
        assertThat(interimWithoutCause.committedAt()).isNull();
    }

    @Test
    void timesBeforeTheEpochAndAtItsEdgesComeBackExactly() {
        for (Instant t : List.of(Instant.EPOCH, Instant.ofEpochSecond(-1, 999_999_999), Instant.MIN, Instant.MAX)) {
            JournalCodec.In in = new JournalCodec.In(new JournalCodec.Out().time(t).time(null).toString());

            assertThat(in.time()).isEqualTo(t);
            assertThat(in.time()).isNull();
            in.end();
        }
    }

    // ---- damaged bodies

    @Test
    void aTruncatedBodyFailsNamingTheMissingField() {
        String body = requestBody();
        int fields = body.split(String.valueOf(SEP), -1).length;
        String truncated = body.substring(0, body.lastIndexOf(SEP));

        assertThatThrownBy(() -> decodeRequest(truncated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field " + fields);
        assertThatThrownBy(() -> decodeRequest("s1" + SEP + "pcscf")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 3");
    }

    @Test
    void anExtraFieldFails() {
        String body = requestBody();
        int fields = body.split(String.valueOf(SEP), -1).length;

        assertThat(decodeRequest(body)).isEqualTo(fullRequest());
        assertThatThrownBy(() -> decodeRequest(body + SEP + "7")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(fields + " fields");
        assertThatThrownBy(() -> decodeRequest(body + SEP)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(fields + " fields");
    }

    @Test
    void aBadNumberFailsNamingItsField() {
        // fields 5 and 6 are the admission time (epoch seconds, nanoseconds), 16 the enforce flag,
        // 17 the number of trace lines
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 5, "12x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 5");
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 6, "12x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 6");
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 17, "three")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 17");
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 17, "-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 17");
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 16, "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 16");
    }

    @Test
    void aNumberTooLargeForItsIntegerFieldFails() {
        // field 22 is the first grant's media component number, 28 its DSCP
        assertThat(requestBody().split(String.valueOf(SEP), -1)[21]).isEqualTo("1");
        assertThat(requestBody().split(String.valueOf(SEP), -1)[27]).isEqualTo("46");
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 22, "4294967297")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 22");
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 28, "4294967342")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 28");
    }

    @Test
    void nanosecondsOutsideTheirRangeFail() {
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 6, "1000000000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 6");
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 6, "-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 6");
    }

    @Test
    void anUnknownEscapeFailsNamingItsField() {
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 2, "pcscf\\x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 2")
                .hasMessageContaining("\\x");
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 2, "pcscf\\")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 2");
    }

    @Test
    void anUnknownEnumNameFailsNamingItsField() {
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 11, "MAYBE")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 11")
                .hasMessageContaining("Verdict");
        ChargingRecord r = record(ChargingRecord.Kind.STOP, null, TerminationCause.DIAMETER_LOGOUT, 1);
        JournalCodec.Out o = new JournalCodec.Out();
        JournalCodec.record(o, r);
        String[] parts = o.toString().split(String.valueOf(SEP), -1);
        int cause = parts.length - 2;
        assertThat(parts[cause - 1]).isEqualTo("DIAMETER_LOGOUT");
        parts[cause - 1] = "diameter_logout";
        assertThatThrownBy(() -> JournalCodec.record(new JournalCodec.In(String.join(String.valueOf(SEP), parts))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field " + cause)
                .hasMessageContaining("TerminationCause");
    }

    @Test
    void aNullWhereAValueIsRequiredFailsNamingItsField() {
        // 1 is the Session-Id, 5 the admission time, 11 the verdict, 14 and 15 the policy version
        // and rule, 18 a trace line, 45 and 46 the first hold's direction and address, 49 its first pool
        String[] fields = requestBody().split(String.valueOf(SEP), -1);
        assertThat(fields[44]).isEqualTo("UPLINK");
        assertThat(fields[45]).isEqualTo("10.0.0.7");
        assertThat(fields[48]).isEqualTo("line-a");
        for (int field : new int[] {1, 5, 11, 14, 15, 18, 45, 46, 49}) {
            assertThatThrownBy(() -> decodeRequest(withField(requestBody(), field, "\\N")))
                    .as("field %d", field).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("field " + field);
        }
    }

    @Test
    void aValueItsRecordRefusesFailsNamingAField() {
        // field 47 is the first hold's prefix, 48 its number of pools, 55 its bit/s
        String[] fields = requestBody().split(String.valueOf(SEP), -1);
        assertThat(fields[46]).isEqualTo("10.0.0.0/24");
        assertThat(fields[47]).isEqualTo("3");
        assertThat(fields[54]).isEqualTo("64000");
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 55, "-64000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageMatching("(?s)field 5\\d: .*bandwidth.*");
        assertThatThrownBy(() -> decodeRequest(withField(requestBody(), 47, "not-a-prefix")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 47");
        // a path without pools: the pool count says 0, and the fields of the pools are gone
        List<String> noPools = new java.util.ArrayList<>(List.of(fields));
        noPools.subList(48, 54).clear();
        noPools.set(47, "0");
        assertThatThrownBy(() -> decodeRequest(String.join(String.valueOf(SEP), noPools)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 48")
                .hasMessageContaining("at least one pool");
    }

    @Test
    void aResetRecordStartsAgainWithoutASeparatorAndDropsAHugeBuilder() {
        JournalCodec.Out o = new JournalCodec.Out().str("a").num(1);
        CharSequence before = o.text();
        assertThat(before.toString()).isEqualTo("a\u001f1");

        assertThat(o.reset().str("b").num(2).text().toString()).isEqualTo("b\u001f2");
        assertThat(o.text()).isSameAs(before);

        o.reset().str("x".repeat(JournalCodec.Out.KEPT + 1));
        CharSequence huge = o.text();
        assertThat(o.reset().text()).isNotSameAs(huge).isEmpty();
        assertThat(o.str("c").toString()).isEqualTo("c");
    }
}
