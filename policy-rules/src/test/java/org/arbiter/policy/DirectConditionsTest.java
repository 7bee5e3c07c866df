package org.arbiter.policy;

import static org.arbiter.policy.Fixtures.flow;
import static org.arbiter.policy.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.runtime.CelEvaluationException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.arbiter.core.policy.PolicyRequest;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.qos.Modification;
import org.arbiter.core.qos.QosRequirement;
import org.arbiter.core.qos.Security;
import org.arbiter.core.session.MediaType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Conditions in the common subset run as Java lambdas and give exactly what the CEL interpreter gives. */
class DirectConditionsTest {

    private static final Conditions.Names NAMES = new Conditions.Names(Set.of("fps-game", "voice", "video"),
            Set.of("premium", "basic", "blocked"), Set.of("premium", "basic"),
            Set.of("audio", "video", "application", "data", "control", "text", "message", "other"));

    static Stream<String> subset() {
        return Stream.of(
                "flow.class == \"fps-game\"",
                "flow.class != \"fps-game\"",
                "flow.class == \"fps-game\" && subscriber.tier == \"premium\"",
                "flow.class == \"voice\" || flow.media == \"audio\"",
                "!(flow.media == \"video\")",
                "\"premium\" in subscriber.groups",
                "!(\"blocked\" in subscriber.groups) && subscriber.known",
                "flow.class in [\"fps-game\", \"video\"]",
                "flow.ul_bps > 1000000",
                "flow.ul_bps >= 1000000 && flow.dl_bps <= 2000000",
                "flow.latency_ms < 35 && flow.latency_ms > 0",
                "flow.loss_percent >= 1.0",
                "flow.loss_percent == 1.5 || flow.loss_percent > 2.0",
                "time.hour >= 22 || time.hour < 6",
                "time.weekday >= 6 && time.day == \"sat\"",
                "origin.host.startsWith(\"pcscf.\") && origin.realm.endsWith(\"example.net\")",
                "subscriber.id.contains(\"@pro.\")",
                "flow.modified == true && \"LATENCY_STRICTER\" in flow.modifications",
                "flow.security == \"integrity\" && flow.peer == \"10.2.0.9\"",
                "\"voice\" in request.classes && request.flows == 2",
                "flow.component == 2 && flow.number == 1 && flow.jitter_ms <= 10",
                "request.application == \"\" && subscriber.address.startsWith(\"10.\")",
                "\"sip:dave@pro.example\" in subscriber.ids",
                "true && flow.ul_bps != 0",
                "\"voice\" == flow.class || \"premium\" != subscriber.tier",
                "1000000 < flow.ul_bps && 2000000 >= flow.dl_bps",
                "35 > flow.latency_ms && 0 <= flow.latency_ms && 2 == flow.component",
                "flow.number != 1 || 10 <= flow.jitter_ms",
                "time.day != \"sat\" && flow.security != \"integrity\"",
                "origin.host == \"pcscf.partner.org\" || \"lab\" == origin.host",
                "subscriber.id == \"sip:dave@pro.example\" || subscriber.address == \"10.1.0.7\"",
                "request.application != \"\" || flow.peer != \"10.2.0.9\" || flow.media == \"video\"",
                "flow.class == flow.media || subscriber.tier == \"basic\"");
    }

    @ParameterizedTest
    @MethodSource("subset")
    void theSubsetRunsDirectlyAndAgreesWithCel(String text) throws CelEvaluationException {
        Conditions.Compiled c = Conditions.compile(text, NAMES);
        assertThat(c.issues()).isEmpty();
        assertThat(c.direct()).as("runs without the interpreter").isTrue();
        int matched = 0;
        for (RequestFacts f : facts()) {
            boolean cel = Boolean.TRUE.equals(c.program().eval(f));
            assertThat(c.condition().test(f)).as("%s on %s %s", text, f.subscriberId, f.media()).isEqualTo(cel);
            String required = c.condition().requiredFlowClass();
            if (required != null && !required.equals(f.flowClass())) {
                assertThat(cel).as("%s is false for a flow of class '%s'", text, f.flowClass()).isFalse();
            }
            matched += cel ? 1 : 0;
        }
        assertThat(matched).as("the facts exercise both outcomes of " + text).isBetween(1, facts().size() - 1);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
        "flow.class == \"fps-game\" => fps-game",
        "\"voice\" == flow.class => voice",
        "flow.class == \"fps-game\" && subscriber.tier == \"premium\" => fps-game",
        "subscriber.tier == \"premium\" && (time.hour > 3 && flow.class == \"video\") => video",
        "flow.class == \"\" && flow.ul_bps > 0 => ''",
        "flow.class != \"fps-game\" => ",
        "flow.class == \"voice\" || flow.media == \"audio\" => ",
        "!(flow.class == \"voice\") => ",
        "flow.class in [\"fps-game\", \"video\"] => ",
        "flow.class == flow.media => ",
        "subscriber.tier == \"premium\" => "})
    void aConjunctionWithAFlowClassTermRequiresThatClass(String text, String required) {
        Conditions.Compiled c = Conditions.compile(text, NAMES);
        assertThat(c.issues()).isEmpty();
        assertThat(c.direct()).isTrue();
        assertThat(c.condition().requiredFlowClass()).isEqualTo(required);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "flow.ul_bps + flow.dl_bps > 2000000",
        "flow.class.matches(\"^fps\")",
        "subscriber.groups.exists(g, g == \"premium\")",
        "size(subscriber.groups) > 1",
        "flow.class < \"m\"",
        "(flow.ul_bps > 0 ? flow.class : flow.media) == \"voice\""})
    void outsideTheSubsetTheInterpreterRuns(String text) throws CelEvaluationException {
        Conditions.Compiled c = Conditions.compile(text, NAMES);
        assertThat(c.issues()).isEmpty();
        assertThat(c.direct()).isFalse();
        assertThat(c.condition().requiredFlowClass()).as("only the subset names a required class").isNull();
        for (RequestFacts f : facts()) {
            assertThat(c.condition().test(f)).isEqualTo(Boolean.TRUE.equals(c.program().eval(f)));
        }
    }

    /** Requests and flows that differ in every variable the expressions read. */
    private static List<RequestFacts> facts() {
        List<RequestFacts> out = new ArrayList<>();
        FlowRequirement game = new FlowRequirement(new FlowKey(2, 1), MediaType.APPLICATION, "10.1.0.7", "10.2.0.9",
                new QosRequirement(2_000_000, "fps-game", 30, 10, 1.5, Security.INTEGRITY),
                new QosRequirement(1_500_000, "fps-game", 30, 10, 1.5, Security.INTEGRITY), null, null,
                Set.of(Modification.LATENCY_STRICTER));
        FlowRequirement voice = flow(1, MediaType.AUDIO, "voice", 64_000, 80_000, null);
        FlowRequirement video = flow(1, MediaType.VIDEO, "video", 3_000_000, 3_000_000, 150);
        add(out, request("sip:dave@pro.example", "10.1.0.7", "pcscf.example.net", Instant.parse("2026-11-28T22:30:00Z"), voice, game),
                List.of("premium", "basic"), "premium", ZoneId.of("UTC"), 1_000_000);
        add(out, request("sip:bob@home.example", "192.0.2.1", "pcscf.partner.org", Instant.parse("2026-11-25T09:00:00Z"), video),
                List.of("basic"), "basic", ZoneId.of("Europe/Berlin"), 0);
        add(out, request("sip:mallory@x", null, "lab", Instant.parse("2026-11-29T03:00:00Z"), voice),
                List.of("blocked"), null, ZoneId.of("UTC"), 0);
        add(out, request(null, null, "pcscf.example.net", Instant.parse("2026-11-27T12:00:00Z"),
                flow(1, MediaType.DATA, null, 0, 0, null)), List.of(), null, ZoneId.of("UTC"), 0);
        return out;
    }

    private static void add(List<RequestFacts> out, PolicyRequest r, List<String> groups, String tier, ZoneId zone, long extra) {
        for (FlowRequirement f : r.flows()) {
            RequestFacts facts = new RequestFacts(r.request(), r.flows(), r.request().framedIpAddress(), groups, tier, zone);
            facts.flow(f, f.uplink().bandwidthBps() + extra, f.downlink().bandwidthBps());
            out.add(facts);
        }
    }
}
