package org.arbiter.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/** {@code arbiter policy check} and {@code arbiter policy test} on the shipped example and on broken copies of it. */
class PolicyToolIT {

    private static final Path EXAMPLE = Path.of("../docs/examples/policy");
    private static final Path REQUESTS = EXAMPLE.resolve("requests");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path tmp;

    private int check(Path dir) {
        return PolicyTool.check(dir, new PrintWriter(out), new PrintWriter(err));
    }

    private int test(Path dir, Path request, boolean json) {
        return PolicyTool.test(dir, request, json, new PrintWriter(out), new PrintWriter(err));
    }

    /** A copy of the example policy with one edit applied to one file. */
    private Path brokenCopy(String file, String from, String to) throws IOException {
        Path copy = Files.createDirectory(tmp.resolve("policy"));
        try (var files = Files.list(EXAMPLE)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        Path target = copy.resolve(file);
        String text = Files.readString(target);
        assertThat(text).as("the edit applies").contains(from);
        Files.writeString(target, text.replace(from, to));
        return copy;
    }

    @Test
    void checkOfTheExamplePrintsOneSummaryLineAndExitsZero() {
        assertThat(check(EXAMPLE)).isZero();
        assertThat(out.toString().lines().toList()).singleElement().asString()
                .matches("\\.\\./docs/examples/policy: policy valid, version [0-9a-f]{12}: 3 files, 4 classes, 4 groups, 8 rules, "
                        + "time zone Europe/Berlin");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void checkOfABrokenCopyPrintsFileLineColumnAndExitsOne() throws IOException {
        Path broken = brokenCopy("rules.yaml", "when: flow.class == \"fps-game\" && subscriber.tier == \"basic\"",
                "when: flow.class == \"fps-game\" && subscriber.tier == 3");
        assertThat(check(broken)).isEqualTo(PolicyTool.INVALID_POLICY);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo(broken.resolve("rules.yaml") + ":36:55: rule 'basic-gaming-capped'.when: "
                + "found no matching overload for '_==_' applied to '(string, int)'");
        assertThat(lines.get(1)).isEqualTo(broken + ": policy invalid, 1 error");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void checkOfACopyWithoutDefaultExitsOne() throws IOException {
        Path broken = brokenCopy("rules.yaml", "default:", "fallback:");
        assertThat(check(broken)).isEqualTo(PolicyTool.INVALID_POLICY);
        assertThat(err.toString()).contains("rules.yaml:59:1: top level: unknown key 'fallback'")
                .contains("classes.yaml:1:1: no 'default' section in any policy file");
    }

    @Test
    void testPrintsTheDecisionAndItsTrace() {
        assertThat(test(EXAMPLE, REQUESTS.resolve("basic-game-sdp.json"), false)).isZero();
        String text = out.toString();
        assertThat(text).startsWith("decision: ACCEPT_MODIFIED by rule basic-gaming-capped, policy ");
        assertThat(text).contains("  flow 2.1   fps-game     UL 1M      DL 1M      latency 40 ms   DSCP 46 QCI 3   priority 2  (modified)");
        assertThat(text).contains("trace:\n  policy ")
                .contains("  flow 2.1: no match: blocked-subscribers, lab-pcscf-unenforced, junior-no-gaming-at-night, premium-gaming\n")
                .contains("  flow 2.1: rule basic-gaming-capped matched: grant fps-game UL 1M DL 1M");
    }

    @Test
    void testWithJsonPrintsOneParseableObject() {
        assertThat(test(EXAMPLE, REQUESTS.resolve("blocked.json"), true)).isZero();
        Map<String, Object> json = new Yaml().load(out.toString());
        assertThat(json).containsEntry("verdict", "REJECT").containsEntry("rule_id", "blocked-subscribers")
                .containsEntry("enforce", true).containsEntry("grants", List.of())
                .containsEntry("reason", "flow 1.1: the subscriber is barred from QoS sessions")
                .containsEntry("reject_code", Map.of("name", "REQUESTED_SERVICE_NOT_AUTHORIZED", "code", 5063, "vendor_id", 10415));
        assertThat((List<?>) json.get("trace")).hasSize(4);
        assertThat(out.toString().lines().count()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({
        "basic-game-sdp.json, ACCEPT_MODIFIED, basic-gaming-capped",
        "premium-game.json, ACCEPT, premium-gaming",
        "blocked.json, REJECT, blocked-subscribers",
        "junior-at-night.json, REJECT, junior-no-gaming-at-night",
        "unknown-subscriber.json, ACCEPT_MODIFIED, default.unknown_subscribers"})
    void everyExampleRequestGetsItsDocumentedDecision(String request, String verdict, String rule) {
        assertThat(test(EXAMPLE, REQUESTS.resolve(request), true)).isZero();
        Map<String, Object> json = new Yaml().load(out.toString());
        assertThat(json).containsEntry("verdict", verdict).containsEntry("rule_id", rule);
    }

    @Test
    void testAgainstABrokenPolicyExitsOne() throws IOException {
        Path broken = brokenCopy("classes.yaml", "dscp: AF41", "dscp: AF51");
        assertThat(test(broken, REQUESTS.resolve("blocked.json"), false)).isEqualTo(PolicyTool.INVALID_POLICY);
        assertThat(err.toString()).contains("classes.yaml:44:11: classes.video.dscp: expected 0..63 or a per-hop behaviour name");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aBadRequestFileIsReportedWithItsPlaceAndExitsTwo() throws IOException {
        Path request = tmp.resolve("bad.json");
        Files.writeString(request, """
                {
                \t"subscriber": {"ids": ["sip:a@b"]},
                \t"flows": [{"component": 1, "media": "hologram", "uplink": "1M"}]
                }
                """);
        assertThat(test(EXAMPLE, request, false)).isEqualTo(PolicyTool.INVALID_REQUEST);
        assertThat(err.toString()).startsWith(request + ":3:38: flows[0].media: unknown media type 'hologram'; allowed: audio");
    }

    @Test
    void inlineSdpTextIsExtractedLikeCodecData() throws IOException {
        Path request = tmp.resolve("inline.yaml");
        Files.writeString(request, """
                origin_host: pcscf.example.net
                subscriber: {ids: ["sip:dave@pro.gamers.example"], address: 10.8.3.4}
                components:
                  - number: 3
                    media: application
                    offerer: peer
                    offer_sdp: "m=application 26004 RTP/AVP 98\\r\\nb=AS:3000\\r\\na=qos-class:fps-game\\r\\n"
                    answer_sdp: "m=application 16004 RTP/AVP 98\\r\\nb=AS:500\\r\\na=qos-class:fps-game\\r\\n"
                """);
        assertThat(test(EXAMPLE, request, true)).as(err.toString()).isZero();
        Map<String, Object> json = new Yaml().load(out.toString());
        assertThat(json).containsEntry("rule_id", "premium-gaming");
        @SuppressWarnings("unchecked")
        Map<String, Object> grant = (Map<String, Object>) ((List<?>) json.get("grants")).getFirst();
        assertThat(grant).containsEntry("flow", "3.1").containsEntry("class", "fps-game");
        assertThat((Integer) grant.get("uplink_bps")).isPositive();
    }

    @Test
    void aRequestWithNeitherFlowsNorComponentsIsRefused() throws IOException {
        Path request = tmp.resolve("empty.json");
        Files.writeString(request, "{\"subscriber\": {\"ids\": [\"sip:a@b\"]}}");
        assertThat(test(EXAMPLE, request, false)).isEqualTo(PolicyTool.INVALID_REQUEST);
        assertThat(err.toString()).contains("request: give either flows (requirements per flow) or components (offer/answer SDP), one of them");
    }
}
