package org.arbiter.policy;

import static org.arbiter.policy.Fixtures.CLASSES;
import static org.arbiter.policy.Fixtures.RULES;
import static org.arbiter.policy.Fixtures.files;
import static org.arbiter.policy.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of error a policy set can have is reported with its file, line, column and a message saying what is expected. */
class PolicyValidationTest {

    private static final String DEFAULT = """
            default:
              grant: {class: best-effort}
            """;

    /** Exactly one error is expected; returns it. */
    private static PolicyError only(Map<String, String> files) {
        PolicyParser.Result r = parse(files);
        assertThat(r.ok()).as("policy should be invalid").isFalse();
        assertThat(r.errors()).as("errors").hasSize(1);
        return r.errors().getFirst();
    }

    /** The classes file plus a rules file with the given rules and the standard default. */
    private static PolicyError onlyInRules(String rules) {
        return only(files("classes.yaml", CLASSES, "rules.yaml", rules + DEFAULT));
    }

    @Test
    void theFixturePolicyIsValid() {
        PolicyParser.Result r = parse(files("classes.yaml", CLASSES, "rules.yaml", RULES));
        assertThat(r.errors()).isEmpty();
        assertThat(r.set().rules()).extracting(PolicySet.Rule::id).containsExactly("blocked", "premium-game", "basic-game", "voice");
        assertThat(r.set().summary()).isEqualTo("2 files, 3 classes, 3 groups, 4 rules, time zone Europe/Berlin");
    }

    @Test
    void yamlSyntaxErrorNamesLineAndColumn() {
        PolicyError e = only(files("classes.yaml", CLASSES, "default.yaml", DEFAULT, "rules.yaml", "rules: [\n  - id: x\n"));
        assertThat(e).extracting(PolicyError::file, PolicyError::line, PolicyError::column).containsExactly("rules.yaml", 2, 3);
        assertThat(e.message()).startsWith("YAML syntax:");
    }

    @Test
    void unknownTopLevelKeyListsTheSections() {
        PolicyError e = only(files("classes.yaml", CLASSES, "rules.yaml", DEFAULT + "rule:\n  - id: x\n"));
        assertThat(e).extracting(PolicyError::file, PolicyError::line, PolicyError::column).containsExactly("rules.yaml", 3, 1);
        assertThat(e.message()).isEqualTo("top level: unknown key 'rule'; allowed here: settings, media_defaults, classes, groups, rules, default");
    }

    @Test
    void unknownClassKeyListsTheAllowedKeys() {
        PolicyError e = only(files("classes.yaml", CLASSES.replace("    qci: 3\n", "    qci: 3\n    colour: blue\n"),
                "rules.yaml", RULES));
        assertThat(e.file()).isEqualTo("classes.yaml");
        assertThat(e.line()).isEqualTo(13);
        assertThat(e.column()).isEqualTo(5);
        assertThat(e.message()).startsWith("classes.fps-game: unknown key 'colour'; allowed here: description, max_latency_ms");
    }

    @Test
    void wrongTypeNamesTheValueFound() {
        PolicyError e = only(files("classes.yaml", CLASSES.replace("    priority: 2\n", "    priority: high\n"), "rules.yaml", RULES));
        assertThat(e).extracting(PolicyError::line, PolicyError::column).containsExactly(13, 15);
        assertThat(e.message()).isEqualTo("classes.fps-game.priority: expected a whole number 1..15, got the text 'high'");
    }

    @Test
    void outOfRangeValueNamesTheRange() {
        PolicyError e = only(files("classes.yaml", CLASSES.replace("    priority: 15\n", "    priority: 16\n"), "rules.yaml", RULES));
        assertThat(e.message()).isEqualTo("classes.best-effort.priority: 16 is out of range; allowed: 1..15");
    }

    @Test
    void unknownDscpNameListsTheNames() {
        PolicyError e = only(files("classes.yaml", CLASSES.replace("dscp: EF", "dscp: AF51"), "rules.yaml", RULES));
        assertThat(e.line()).isEqualTo(11);
        assertThat(e.message()).startsWith("classes.fps-game.dscp: expected 0..63 or a per-hop behaviour name (EF, VA, AF11..AF43");
    }

    @Test
    void badBandwidthSaysHowToWriteOne() {
        PolicyError e = only(files("classes.yaml", CLASSES.replace("uplink:   {guaranteed: 256k, maximum: 4M}",
                "uplink:   {guaranteed: 256k, maximum: 4Mb}"), "rules.yaml", RULES));
        assertThat(e.message()).startsWith("classes.fps-game.uplink.maximum: expected a bandwidth: bit/s as a whole number (64000) or with a unit")
                .endsWith("got the text '4Mb'");
    }

    @Test
    void guaranteedAboveMaximumIsRefused() {
        PolicyError e = only(files("classes.yaml", CLASSES.replace("uplink:   {guaranteed: 256k, maximum: 4M}",
                "uplink:   {guaranteed: 5M, maximum: 4M}"),
                "rules.yaml", RULES));
        assertThat(e.message()).isEqualTo("classes.fps-game.uplink: guaranteed 5M is more than maximum 4M; guaranteed must be at most maximum");
    }

    @Test
    void badAddressPrefixIsReported() {
        PolicyError e = only(files("classes.yaml", CLASSES.replace("10.0.0.0/8", "10.0.0.0/33"), "rules.yaml", RULES));
        assertThat(e.line()).isEqualTo(35);
        assertThat(e.message()).startsWith("groups.basic.addresses[0]: prefix length 33 out of range for IPv4 (0..32)");
    }

    @Test
    void badTimeZoneIsReported() {
        PolicyError e = only(files("classes.yaml", CLASSES.replace("Europe/Berlin", "Europe/Springfield"), "rules.yaml", RULES));
        assertThat(e).extracting(PolicyError::line, PolicyError::column).containsExactly(2, 14);
        assertThat(e.message()).contains("'Europe/Springfield' is not a time zone");
    }

    @Test
    void duplicateKeyIsReported() {
        PolicyError e = only(files("classes.yaml", CLASSES.replace("    qci: 3\n", "    qci: 3\n    qci: 4\n"), "rules.yaml", RULES));
        assertThat(e).extracting(PolicyError::line, PolicyError::column).containsExactly(13, 5);
        assertThat(e.message()).isEqualTo("classes.fps-game: duplicate key 'qci' (first at line 12)");
    }

    @Test
    void celSyntaxErrorPointsIntoTheCondition() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: broken
                    when: flow.ul_bps >
                    grant: {class: voice}
                """);
        assertThat(e).extracting(PolicyError::file, PolicyError::line).containsExactly("rules.yaml", 3);
        assertThat(e.column()).isGreaterThanOrEqualTo(11);
        assertThat(e.message()).startsWith("rule 'broken'.when: ");
    }

    @Test
    void celTypeErrorNamesTheOperandTypes() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: typed
                    when: flow.latency_ms > "40"
                    grant: {class: voice}
                """);
        assertThat(e).extracting(PolicyError::line, PolicyError::column).containsExactly(3, 27);
        assertThat(e.message()).isEqualTo("rule 'typed'.when: found no matching overload for '_>_' applied to '(int, string)'");
    }

    @Test
    void celUnknownVariableSuggestsTheRightOne() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: typo
                    when: 'flow.clas == "voice"'
                    grant: {class: voice}
                """);
        assertThat(e).extracting(PolicyError::line, PolicyError::column).containsExactly(3, 12);
        assertThat(e.message()).startsWith("rule 'typo'.when: unknown variable 'flow.clas'; did you mean 'flow.class'? flow has: flow.component");
    }

    @Test
    void celConditionMustBeBoolean() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: number
                    when: flow.ul_bps
                    grant: {class: voice}
                """);
        assertThat(e.message()).isEqualTo("rule 'number'.when: expected type 'bool' but found 'int'");
    }

    @Test
    void celErrorInALiteralBlockPointsAtItsLine() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: night
                    when: |
                      flow.class == "fps-game"
                        && (time.hour >= "22" || time.hour < 6)
                    grant: {class: voice}
                """);
        assertThat(e).extracting(PolicyError::line, PolicyError::column).containsExactly(5, 23);
    }

    @Test
    void grantOfAnUndefinedClassListsTheClasses() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: gold
                    grant: {class: gold}
                """);
        assertThat(e).extracting(PolicyError::line, PolicyError::column).containsExactly(3, 20);
        assertThat(e.message()).isEqualTo("rule 'gold'.grant.class: unknown class 'gold'; defined classes: best-effort, fps-game, voice");
    }

    @Test
    void conditionNamingAnUndefinedGroupIsRefused() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: vip
                    when: '"vip" in subscriber.groups'
                    grant: {class: voice}
                """);
        assertThat(e).extracting(PolicyError::line, PolicyError::column).containsExactly(3, 12);
        assertThat(e.message()).isEqualTo("rule 'vip'.when: subscriber.groups is compared with group 'vip', which is not defined; "
                + "defined: basic, blocked, premium");
    }

    @Test
    void conditionNamingAnUndefinedClassIsRefused() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: race
                    when: flow.class in ["fps-game", "racing"]
                    grant: {class: fps-game}
                """);
        assertThat(e.column()).isEqualTo(38);
        assertThat(e.message()).contains("flow.class is compared with class 'racing', which is not defined");
    }

    @Test
    void conditionNamingAnUndefinedTierIsRefused() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: gold
                    when: subscriber.tier == "gold"
                    grant: {class: fps-game}
                """);
        assertThat(e.message()).isEqualTo("rule 'gold'.when: subscriber.tier is compared with tier 'gold', which is not defined; "
                + "defined: basic, premium");
    }

    @Test
    void ruleAfterAnUnconditionalRuleIsUnreachable() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: everything
                    grant: {class: best-effort}
                  - id: voice
                    when: flow.media == "audio"
                    grant: {class: voice}
                """);
        assertThat(e).extracting(PolicyError::line, PolicyError::column).containsExactly(4, 9);
        assertThat(e.message()).isEqualTo("rule 'voice' is unreachable: rule 'everything' (rules.yaml:2) before it has no condition "
                + "and decides every flow");
    }

    @Test
    void aLiterallyTrueConditionIsUnconditional() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: everything
                    when: "true"
                    reject: {code: REQUESTED_SERVICE_NOT_AUTHORIZED, reason: closed}
                  - id: voice
                    grant: {class: voice}
                """);
        assertThat(e.message()).startsWith("rule 'voice' is unreachable: rule 'everything'");
    }

    @Test
    void ruleAfterAnUnconditionalDeferIsReachable() {
        PolicyParser.Result r = parse(files("classes.yaml", CLASSES, "rules.yaml", """
                rules:
                  - id: lab
                    defer: {enforce: false}
                  - id: voice
                    grant: {class: voice}
                """ + DEFAULT));
        assertThat(r.errors()).isEmpty();
    }

    @Test
    void alwaysFalseConditionIsRefused() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: never
                    when: false
                    grant: {class: voice}
                """);
        assertThat(e.message()).isEqualTo("rule 'never'.when: the condition is always false, so the rule never matches; remove the rule");
    }

    @Test
    void missingDefaultMakesThePolicyInvalid() {
        PolicyError e = only(files("classes.yaml", CLASSES, "rules.yaml", RULES.substring(0, RULES.indexOf("default:"))));
        assertThat(e).extracting(PolicyError::file, PolicyError::line, PolicyError::column).containsExactly("classes.yaml", 1, 1);
        assertThat(e.message()).startsWith("no 'default' section in any policy file; a policy needs one");
    }

    @Test
    void aSecondDefaultIsReported() {
        PolicyError e = only(files("classes.yaml", CLASSES, "rules.yaml", RULES, "zz.yaml", DEFAULT));
        assertThat(e).extracting(PolicyError::file, PolicyError::line).containsExactly("zz.yaml", 1);
        assertThat(e.message()).isEqualTo("default: defined a second time (first at rules.yaml:21); a policy has one default");
    }

    @Test
    void defaultNeedsExactlyOneAction() {
        PolicyError e = only(files("classes.yaml", CLASSES, "rules.yaml", "default:\n  unknown_subscribers:\n    grant: {class: best-effort}\n"));
        assertThat(e).extracting(PolicyError::line, PolicyError::column).containsExactly(2, 3);
        assertThat(e.message()).contains("default: needs exactly one of grant or reject; it has none");
    }

    @Test
    void duplicateRuleIdAcrossFilesIsReported() {
        PolicyError e = only(files("classes.yaml", CLASSES, "rules.yaml", RULES, "more.yaml", """
                rules:
                  - id: voice
                    when: flow.class == "voice"
                    grant: {class: voice}
                """));
        assertThat(e).extracting(PolicyError::file, PolicyError::line, PolicyError::column).containsExactly("rules.yaml", 17, 9);
        assertThat(e.message()).isEqualTo("rule 'voice': duplicate rule id (first at more.yaml:2); rule ids must be unique");
    }

    @Test
    void duplicateClassAcrossFilesIsReported() {
        PolicyError e = only(files("classes.yaml", CLASSES, "rules.yaml", RULES, "zz-extra.yaml", """
                classes:
                  voice: {dscp: 46, priority: 1}
                """));
        assertThat(e).extracting(PolicyError::file, PolicyError::line, PolicyError::column).containsExactly("zz-extra.yaml", 2, 3);
        assertThat(e.message()).isEqualTo("classes.voice: class defined a second time (first at classes.yaml:15)");
    }

    @Test
    void ruleWithTwoActionsIsRefused() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: both
                    grant: {class: voice}
                    reject: {code: REQUESTED_SERVICE_NOT_AUTHORIZED, reason: no}
                """);
        assertThat(e.message()).isEqualTo("rule 'both': a rule needs exactly one action, grant, reject or defer; it has grant and reject");
    }

    @Test
    void rejectWithASuccessCodeIsRefused() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: odd
                    reject: {code: DIAMETER_SUCCESS, reason: nothing}
                """);
        assertThat(e.message()).startsWith("rule 'odd'.reject.code: expected an Rx result code, got the text 'DIAMETER_SUCCESS'; allowed: ")
                .contains("REQUESTED_SERVICE_NOT_AUTHORIZED").contains("UNAUTHORIZED_NON_EMERGENCY_SESSION");
    }

    @Test
    void rejectAcceptsTheCodeNumber() {
        PolicyParser.Result r = parse(files("classes.yaml", CLASSES, "rules.yaml", """
                rules:
                  - id: closed
                    reject: {code: 5066, reason: emergency only}
                """ + DEFAULT));
        assertThat(r.errors()).isEmpty();
        assertThat(((PolicySet.Reject) r.set().rules().getFirst().action()).code())
                .isEqualTo(org.arbiter.core.session.ResultCode.UNAUTHORIZED_NON_EMERGENCY_SESSION);
    }

    @Test
    void reservedRuleIdIsRefused() {
        PolicyError e = onlyInRules("""
                rules:
                  - id: default
                    when: flow.media == "audio"
                    grant: {class: voice}
                """);
        assertThat(e.message()).startsWith("rule 'default': the id 'default' is reserved");
    }

    @Test
    void groupWithoutMembersIsRefused() {
        PolicyError e = only(files("classes.yaml", CLASSES + "  empty:\n    tier: none\n", "rules.yaml", RULES));
        assertThat(e.message()).isEqualTo("groups.empty: a group needs subscription_ids, addresses or both");
    }

    @Test
    void noFilesIsAnError() {
        PolicyParser.Result r = parse(Map.of());
        assertThat(r.errors()).singleElement().extracting(PolicyError::message)
                .isEqualTo("no policy files (*.yaml, *.yml) in the directory");
    }

    @Test
    void everyErrorIsCollectedAndSortedByPlace() {
        PolicyParser.Result r = parse(files(
                "classes.yaml", CLASSES.replace("priority: 15", "priority: 0").replace("dscp: 46", "dscp: 64"),
                "rules.yaml", RULES.replace("class: voice", "class: vocie").replace("flow.media == \"audio\"", "flow.media == 1")));
        List<String> places = r.errors().stream().map(e -> e.file() + ":" + e.line()).toList();
        assertThat(places).containsExactly("classes.yaml:19", "classes.yaml:26", "rules.yaml:18", "rules.yaml:20");
        assertThat(r.set()).isNull();
    }

    @Test
    void anEmptyFileContributesNothing() {
        PolicyParser.Result r = parse(files("classes.yaml", CLASSES, "empty.yaml", "", "rules.yaml", RULES));
        assertThat(r.errors()).isEmpty();
        assertThat(r.set().files()).containsExactly("classes.yaml", "empty.yaml", "rules.yaml");
    }

    @Test
    void theVersionIsTheContentHash() {
        PolicySet a = parse(files("classes.yaml", CLASSES, "rules.yaml", RULES)).set();
        PolicySet same = parse(files("classes.yaml", CLASSES, "rules.yaml", RULES)).set();
        PolicySet other = parse(files("classes.yaml", CLASSES, "rules.yaml", RULES + "# edited\n")).set();
        assertThat(a.contentHash()).hasSize(12).isEqualTo(same.contentHash()).isNotEqualTo(other.contentHash());
        assertThat(a.version()).isEqualTo(a.contentHash() + "@2026-11-27T08:00:00Z");
    }
}
