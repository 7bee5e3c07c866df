package org.arbiter.policy;

import static org.arbiter.policy.Fixtures.AFTERNOON;
import static org.arbiter.policy.Fixtures.flow;
import static org.arbiter.policy.Fixtures.game;
import static org.arbiter.policy.Fixtures.request;
import static org.arbiter.policy.Fixtures.set;
import static org.arbiter.policy.Fixtures.standard;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.policy.PolicyRequest;
import org.arbiter.core.policy.Verdict;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.qos.Modification;
import org.arbiter.core.qos.QosRequirement;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.junit.jupiter.api.Test;

/** How a loaded set decides: each action kind, the defaults, the combination of flows and the trace. */
class PolicyDecisionTest {

    private static final String PREMIUM = "sip:dave@pro.example";
    private static final String BASIC_ADDRESS = "10.1.0.7";

    private static String rules(String body) {
        return body + """
                default:
                  grant: {class: best-effort}
                """;
    }

    @Test
    void grantGivesTheClassTreatmentAndWhatWasAsked() {
        Decision d = standard().decide(request(PREMIUM, "192.0.2.1", game(2_000_000, 3_000_000)));
        assertThat(d.verdict()).isEqualTo(Verdict.ACCEPT);
        assertThat(d.ruleId()).isEqualTo("premium-game");
        assertThat(d.enforce()).isTrue();
        assertThat(d.grants()).containsExactly(
                new FlowGrant(new FlowKey(1, 1), "fps-game", 2_000_000, 3_000_000, 40, 46, 3, 2, false));
    }

    @Test
    void grantWithACapModifiesTheBandwidth() {
        Decision d = standard().decide(request("sip:bob@home.example", BASIC_ADDRESS, game(2_000_000, 1_500_000)));
        assertThat(d.verdict()).isEqualTo(Verdict.ACCEPT_MODIFIED);
        assertThat(d.ruleId()).isEqualTo("basic-game");
        FlowGrant g = d.grants().getFirst();
        assertThat(g.uplinkBps()).isEqualTo(1_000_000);
        assertThat(g.downlinkBps()).isEqualTo(1_000_000);
        assertThat(g.modified()).isTrue();
        assertThat(d.reason()).isEqualTo("flow 1.1: UL capped 2M -> 1M (rule basic-game); DL capped 1500k -> 1M (rule basic-game) (basic cap)");
    }

    @Test
    void theClassMaximumCapsBandwidth() {
        Decision d = standard().decide(request(PREMIUM, null, game(6_000_000, 1_000_000)));
        assertThat(d.grants().getFirst().uplinkBps()).isEqualTo(4_000_000);
        assertThat(d.reason()).isEqualTo("flow 1.1: UL capped 6M -> 4M (class fps-game maximum)");
    }

    @Test
    void aCapBelowTheClassGuaranteeRejectsTheFlow() {
        PolicySet s = set(rules("""
                rules:
                  - id: starved
                    when: flow.class == "fps-game"
                    grant: {class: fps-game, cap: {uplink: 100k}}
                """));
        Decision d = s.decide(request(PREMIUM, null, game(1_000_000, 1_000_000)));
        assertThat(d.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(d.rejectCode()).isEqualTo(ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED);
        assertThat(d.ruleId()).isEqualTo("starved");
        assertThat(d.reason()).isEqualTo("flow 1.1: UL would be cut to 100k, below the 256k class fps-game guarantees");
    }

    @Test
    void aFlowAskingForLessThanTheGuaranteeGetsWhatItAsked() {
        PolicySet s = set(rules("""
                rules:
                  - id: small
                    when: flow.class == "fps-game"
                    grant: {class: fps-game, cap: {uplink: 100k}}
                """));
        Decision d = s.decide(request(PREMIUM, null, game(80_000, 80_000)));
        assertThat(d.verdict()).isEqualTo(Verdict.ACCEPT);
        assertThat(d.grants().getFirst().uplinkBps()).isEqualTo(80_000);
    }

    @Test
    void relaxingLatencyIsAModification() {
        PolicySet s = set(rules("""
                rules:
                  - id: slow-game
                    when: flow.class == "fps-game"
                    grant: {class: fps-game, max_latency_ms: 80}
                """));
        Decision d = s.decide(request(PREMIUM, null, game(500_000, 500_000)));
        assertThat(d.verdict()).isEqualTo(Verdict.ACCEPT_MODIFIED);
        assertThat(d.grants().getFirst().maxLatencyMs()).isEqualTo(80);
        assertThat(d.reason()).isEqualTo("flow 1.1: latency 40 ms -> 80 ms (rule slow-game)");
    }

    @Test
    void aClassThatCannotMeetTheLatencyAskedForIsAModification() {
        Decision d = standard().decide(request(PREMIUM, null, flow(1, MediaType.APPLICATION, "fps-game", 500_000, 500_000, 20)));
        assertThat(d.verdict()).isEqualTo(Verdict.ACCEPT_MODIFIED);
        assertThat(d.grants().getFirst().maxLatencyMs()).isEqualTo(40);
        assertThat(d.reason()).isEqualTo("flow 1.1: latency 20 ms -> 40 ms (class fps-game)");
    }

    @Test
    void grantingAnotherClassDowngradesTheFlow() {
        PolicySet s = set(rules("""
                rules:
                  - id: no-gaming
                    when: flow.class == "fps-game"
                    grant: {class: best-effort, reason: gaming is not offered}
                """));
        Decision d = s.decide(request(PREMIUM, null, flow(1, MediaType.APPLICATION, "fps-game", 500_000, 500_000, null)));
        assertThat(d.verdict()).isEqualTo(Verdict.ACCEPT_MODIFIED);
        FlowGrant g = d.grants().getFirst();
        assertThat(g.sessionClass()).isEqualTo("best-effort");
        assertThat(g.dscp()).isZero();
        assertThat(g.qci()).isNull();
        assertThat(g.priority()).isEqualTo(15);
        assertThat(d.reason()).isEqualTo("flow 1.1: class fps-game -> best-effort (rule no-gaming) (gaming is not offered)");
    }

    @Test
    void rejectCarriesItsCodeReasonAndRule() {
        Decision d = standard().decide(request("sip:mallory@example.net", null, game(1_000_000, 1_000_000)));
        assertThat(d.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(d.rejectCode()).isEqualTo(ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED);
        assertThat(d.reason()).isEqualTo("flow 1.1: barred");
        assertThat(d.ruleId()).isEqualTo("blocked");
        assertThat(d.grants()).isEmpty();
    }

    @Test
    void deferAddsItsLimitsAndTheNextRuleDecides() {
        PolicySet s = set(rules("""
                rules:
                  - id: evening-cap
                    when: time.hour >= 12
                    defer: {cap: {downlink: 500k}, note: busy hours}
                  - id: game
                    when: flow.class == "fps-game"
                    grant: {class: fps-game}
                """));
        Decision d = s.decide(request(PREMIUM, null, game(800_000, 800_000)));
        assertThat(d.ruleId()).isEqualTo("game");
        assertThat(d.grants().getFirst().downlinkBps()).isEqualTo(500_000);
        assertThat(d.grants().getFirst().uplinkBps()).isEqualTo(800_000);
        assertThat(d.trace()).contains("flow 1.1: rule evening-cap matched: defer (DL cap 500k): busy hours");
        assertThat(d.reason()).isEqualTo("flow 1.1: DL capped 800k -> 500k (rule evening-cap)");
    }

    @Test
    void theRulesThatDidNotMatchAreListedInRunsBetweenTheMatches() {
        PolicySet s = set(rules("""
                rules:
                  - id: a
                    when: flow.class == "voice"
                    grant: {class: voice}
                  - id: evening-cap
                    when: time.hour >= 12
                    defer: {cap: {downlink: 500k}}
                  - id: b
                    when: flow.class == "voice"
                    grant: {class: voice}
                  - id: c-with-a-longer-id
                    when: flow.media == "audio"
                    grant: {class: voice}
                  - id: lab
                    when: origin.host == "pcscf.example.net"
                    defer: {enforce: false}
                  - id: d
                    when: flow.media == "video"
                    grant: {class: best-effort}
                """));
        Decision d = s.decide(request(PREMIUM, null, game(800_000, 800_000)));
        assertThat(d.ruleId()).isEqualTo("default");
        assertThat(d.trace()).containsSubsequence(
                "flow 1.1: no match: a",
                "flow 1.1: rule evening-cap matched: defer (DL cap 500k)",
                "flow 1.1: no match: b, c-with-a-longer-id",
                "flow 1.1: rule lab matched: defer (without enforcement)",
                "flow 1.1: no match: d");
    }

    @Test
    void enforceFalseAdmitsWithoutEnforcement() {
        PolicySet s = set(rules("""
                rules:
                  - id: lab
                    when: origin.host == "pcscf.lab.example.net"
                    defer: {enforce: false}
                  - id: game
                    when: flow.class == "fps-game"
                    grant: {class: fps-game}
                """));
        Decision lab = s.decide(request(PREMIUM, null, "pcscf.lab.example.net", AFTERNOON, game(500_000, 500_000)));
        Decision live = s.decide(request(PREMIUM, null, "pcscf.example.net", AFTERNOON, game(500_000, 500_000)));
        assertThat(lab.enforce()).isFalse();
        assertThat(lab.verdict()).isEqualTo(Verdict.ACCEPT);
        assertThat(live.enforce()).isTrue();
    }

    @Test
    void oneEnforcedFlowMakesTheDecisionEnforced() {
        PolicySet s = set(rules("""
                rules:
                  - id: voice-free
                    when: flow.media == "audio"
                    grant: {class: voice, enforce: false}
                  - id: game
                    when: flow.class == "fps-game"
                    grant: {class: fps-game}
                """));
        Decision d = s.decide(request(PREMIUM, null, flow(1, MediaType.AUDIO, null, 64_000, 64_000, null), game(500_000, 500_000)));
        assertThat(d.enforce()).isTrue();
    }

    @Test
    void unknownSubscriberFallsToTheUnknownDefault() {
        Decision d = standard().decide(request("sip:eve@partner.example", "192.0.2.10", game(1_000_000, 1_000_000)));
        assertThat(d.ruleId()).isEqualTo("default.unknown_subscribers");
        assertThat(d.verdict()).isEqualTo(Verdict.ACCEPT_MODIFIED);
        FlowGrant g = d.grants().getFirst();
        assertThat(g.sessionClass()).isEqualTo("best-effort");
        assertThat(g.uplinkBps()).isEqualTo(128_000);
        assertThat(d.trace()).anyMatch(l -> l.contains("unknown (in no group)"));
    }

    @Test
    void withoutAnUnknownDefaultUnknownSubscribersRunTheRules() {
        PolicySet s = set(rules("""
                rules:
                  - id: strangers
                    when: '!subscriber.known && flow.media == "audio"'
                    grant: {class: voice}
                """));
        Decision d = s.decide(request("sip:eve@partner.example", "192.0.2.10", flow(1, MediaType.AUDIO, null, 64_000, 64_000, null)));
        assertThat(d.ruleId()).isEqualTo("strangers");
    }

    @Test
    void aFlowNoRuleDecidesFallsToTheDefault() {
        Decision d = standard().decide(request(PREMIUM, null, flow(1, MediaType.VIDEO, "video", 1_000_000, 1_000_000, null)));
        assertThat(d.ruleId()).isEqualTo("default");
        assertThat(d.grants().getFirst().sessionClass()).isEqualTo("best-effort");
        assertThat(d.trace()).contains("flow 1.1: no match: blocked, premium-game, basic-game, voice");
    }

    @Test
    void mediaDefaultsAreHandedToTheExtractorPerMediaType() {
        var defaults = standard().extractionDefaults();
        assertThat(defaults.choose(MediaType.APPLICATION, null).bps()).isEqualTo(1_000_000);
        assertThat(defaults.choose(MediaType.AUDIO, null).bps()).isEqualTo(64_000);
    }

    @Test
    void aDirectionWithoutMediaIsNotReserved() {
        Decision d = standard().decide(request(PREMIUM, null, game(0, 0)));
        FlowGrant g = d.grants().getFirst();
        assertThat(g.uplinkBps()).isZero();
        assertThat(g.downlinkBps()).isZero();
    }

    @Test
    void anyRejectedFlowRejectsTheRequestWithTheFirstRejectingRule() {
        PolicySet s = set(rules("""
                rules:
                  - id: no-video
                    when: flow.media == "video"
                    reject: {code: UNAUTHORIZED_NON_EMERGENCY_SESSION, reason: video is not offered}
                  - id: voice
                    when: flow.media == "audio"
                    grant: {class: voice}
                """));
        Decision d = s.decide(request(PREMIUM, null, flow(1, MediaType.AUDIO, null, 64_000, 64_000, null),
                flow(2, MediaType.VIDEO, null, 1_000_000, 1_000_000, null)));
        assertThat(d.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(d.rejectCode()).isEqualTo(ResultCode.UNAUTHORIZED_NON_EMERGENCY_SESSION);
        assertThat(d.ruleId()).isEqualTo("no-video");
        assertThat(d.reason()).isEqualTo("flow 2.1: video is not offered");
    }

    @Test
    void aMultiFlowDecisionNamesTheRuleOfTheFirstModifiedFlow() {
        Decision d = standard().decide(request("sip:bob@home.example", BASIC_ADDRESS,
                flow(1, MediaType.AUDIO, null, 64_000, 64_000, null), game(2_000_000, 2_000_000)));
        assertThat(d.verdict()).isEqualTo(Verdict.ACCEPT_MODIFIED);
        assertThat(d.ruleId()).isEqualTo("basic-game");
        assertThat(d.grants()).extracting(FlowGrant::sessionClass).containsExactly("voice", "fps-game");
        assertThat(d.trace().getLast()).isEqualTo("decision ACCEPT_MODIFIED by rule basic-game (first modified flow 1.1)");
    }

    @Test
    void aMultiFlowDecisionWithoutModificationNamesTheRuleOfTheFirstFlow() {
        Decision d = standard().decide(request(PREMIUM, null,
                flow(1, MediaType.AUDIO, null, 64_000, 64_000, null), game(1_000_000, 1_000_000)));
        assertThat(d.verdict()).isEqualTo(Verdict.ACCEPT);
        assertThat(d.ruleId()).isEqualTo("voice");
    }

    @Test
    void timeConditionsUseTheConfiguredZone() {
        PolicySet s = set(rules("""
                rules:
                  - id: night
                    when: time.hour >= 22 || time.hour < 6
                    reject: {code: REQUESTED_SERVICE_NOT_AUTHORIZED, reason: closed at night}
                """));
        // 21:30 UTC is 22:30 in Berlin in November
        Decision night = s.decide(request(PREMIUM, null, "p", Instant.parse("2026-11-27T21:30:00Z"), game(1_000_000, 1_000_000)));
        Decision evening = s.decide(request(PREMIUM, null, "p", Instant.parse("2026-11-27T20:30:00Z"), game(1_000_000, 1_000_000)));
        assertThat(night.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(evening.verdict()).isNotEqualTo(Verdict.REJECT);
    }

    @Test
    void weekdayAndDayNamesFollowIso() {
        PolicySet s = set(rules("""
                rules:
                  - id: friday
                    when: time.weekday == 5 && time.day == "fri"
                    grant: {class: voice}
                """));
        assertThat(s.decide(request(PREMIUM, null, game(1, 1))).ruleId()).isEqualTo("friday");
    }

    @Test
    void groupsMatchByAddressRangeAndByCaseInsensitivePattern() {
        PolicySet s = standard();
        assertThat(s.decide(request("sip:nobody@nowhere", BASIC_ADDRESS, game(1_000_000, 1_000_000))).ruleId()).isEqualTo("basic-game");
        assertThat(s.decide(request("SIP:Dave@PRO.example", null, game(1_000_000, 1_000_000))).ruleId()).isEqualTo("premium-game");
    }

    @Test
    void theTierIsThatOfTheFirstMatchingGroupWithOne() {
        // in premium (by id) and basic (by address): premium is listed first
        Decision d = standard().decide(request(PREMIUM, BASIC_ADDRESS, game(2_000_000, 2_000_000)));
        assertThat(d.ruleId()).isEqualTo("premium-game");
        assertThat(d.trace().getFirst()).contains("groups premium, basic, tier premium");
    }

    @Test
    void theSubscriberAddressFallsBackToTheFlowsUeAddress() {
        FlowRequirement f = new FlowRequirement(new FlowKey(1, 1), MediaType.APPLICATION, BASIC_ADDRESS, null,
                new QosRequirement(1_000_000, "fps-game", 40, null, null, null),
                new QosRequirement(1_000_000, "fps-game", 40, null, null, null), null, null, Set.of());
        assertThat(standard().decide(request("sip:x@y", null, f)).ruleId()).isEqualTo("basic-game");
    }

    @Test
    void requestWideVariablesSeeEveryFlow() {
        PolicySet s = set(rules("""
                rules:
                  - id: game-and-voice
                    when: request.flows == 2 && "fps-game" in request.classes && "voice" in request.classes
                    grant: {class: voice}
                """));
        Decision d = s.decide(request(PREMIUM, null, flow(1, MediaType.AUDIO, "voice", 1, 1, null), game(1, 1)));
        assertThat(d.grants()).extracting(FlowGrant::sessionClass).containsExactly("voice", "voice");
    }

    @Test
    void answerModificationsAreVisibleToConditions() {
        PolicySet s = set(rules("""
                rules:
                  - id: renegotiated
                    when: flow.modified && "LATENCY_STRICTER" in flow.modifications
                    grant: {class: fps-game}
                """));
        FlowRequirement f = new FlowRequirement(new FlowKey(1, 1), MediaType.APPLICATION, null, null,
                new QosRequirement(1_000_000, "fps-game", 30, null, null, null),
                new QosRequirement(1_000_000, "fps-game", 30, null, null, null), null, null, Set.of(Modification.LATENCY_STRICTER));
        assertThat(s.decide(request(PREMIUM, null, f)).ruleId()).isEqualTo("renegotiated");
    }

    @Test
    void aConditionThatFailsToEvaluateFailsClosed() {
        PolicySet s = set(rules("""
                rules:
                  - id: divide
                    when: flow.ul_bps / (flow.dl_bps - flow.dl_bps) > 1
                    grant: {class: voice}
                """));
        Decision d = s.decide(request(PREMIUM, null, game(1_000_000, 1_000_000)));
        assertThat(d.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(d.rejectCode()).isEqualTo(ResultCode.DIAMETER_UNABLE_TO_COMPLY);
        assertThat(d.ruleId()).isEqualTo("divide");
        assertThat(d.reason()).startsWith("flow 1.1: condition of rule divide (rules.yaml:2) could not be evaluated:");
    }

    @Test
    void theTraceListsEvaluatedRulesTheMatchAndTheModification() {
        Decision d = standard().decide(request("sip:bob@home.example", BASIC_ADDRESS, game(2_000_000, 1_000_000)));
        assertThat(d.trace()).containsExactly(
                "policy " + d.policyVersion() + "; subscriber sip:bob@home.example at 10.1.0.7: groups basic, tier basic; "
                        + "origin pcscf.example.net; time 2026-11-27T14:00 Europe/Berlin (fri)",
                "flow 1.1 application class fps-game UL 2M DL 1M latency 40 ms",
                "flow 1.1: no match: blocked, premium-game",
                "flow 1.1: rule basic-game matched: grant fps-game UL 1M DL 1M latency 40 ms DSCP 46 QCI 3 priority 2 "
                        + "preemption-capable; modified: UL capped 2M -> 1M (rule basic-game) -- basic cap",
                "decision ACCEPT_MODIFIED by rule basic-game (first modified flow 1.1)");
    }

    @Test
    void theTraceAndReasonNameEveryChangeOfEveryModifiedFlow() {
        PolicySet s = set(rules("""
                rules:
                  - id: lab
                    when: origin.host == "pcscf.lab.example.net"
                    defer: {enforce: false, cap: {uplink: 3M}, note: lab traffic}
                  - id: slow-game
                    when: flow.class == "fps-game"
                    grant: {class: fps-game, max_latency_ms: 80, cap: {downlink: 500k}, reason: busy}
                  - id: no-voice
                    when: flow.media == "audio"
                    grant: {class: best-effort}
                """));
        Decision d = s.decide(request(PREMIUM, null, "pcscf.lab.example.net", AFTERNOON,
                flow(1, MediaType.APPLICATION, "fps-game", 6_000_000, 800_000, 20),
                flow(2, MediaType.AUDIO, "voice", 64_000, 3_000_000, 10)));
        assertThat(d.verdict()).isEqualTo(Verdict.ACCEPT_MODIFIED);
        assertThat(d.enforce()).isFalse();
        assertThat(d.reason()).isEqualTo("flow 1.1: UL capped 6M -> 3M (rule lab); DL capped 800k -> 500k (rule slow-game); "
                + "latency 20 ms -> 80 ms (rule slow-game) (busy); "
                + "flow 2.1: DL capped 3M -> 2M (class best-effort maximum); latency 10 ms -> no bound (class best-effort); "
                + "class voice -> best-effort (rule no-voice)");
        assertThat(d.trace()).containsExactly(
                "policy " + d.policyVersion() + "; subscriber " + PREMIUM + " at (no address): groups premium, tier premium; "
                        + "origin pcscf.lab.example.net; time 2026-11-27T14:00 Europe/Berlin (fri)",
                "flow 1.1 application class fps-game UL 6M DL 800k latency 20 ms",
                "flow 1.1: rule lab matched: defer (UL cap 3M, without enforcement): lab traffic",
                "flow 1.1: rule slow-game matched: grant fps-game UL 3M DL 500k latency 80 ms DSCP 46 QCI 3 priority 2 "
                        + "preemption-capable, without enforcement (rule lab); modified: UL capped 6M -> 3M (rule lab); "
                        + "DL capped 800k -> 500k (rule slow-game); latency 20 ms -> 80 ms (rule slow-game) -- busy",
                "flow 2.1 audio class voice UL 64k DL 3M latency 10 ms",
                "flow 2.1: rule lab matched: defer (UL cap 3M, without enforcement): lab traffic",
                "flow 2.1: no match: slow-game",
                "flow 2.1: rule no-voice matched: grant best-effort UL 64k DL 2M latency - DSCP 0 QCI - priority 15, "
                        + "without enforcement (rule lab); modified: DL capped 3M -> 2M (class best-effort maximum); "
                        + "latency 10 ms -> no bound (class best-effort); class voice -> best-effort (rule no-voice)",
                "decision ACCEPT_MODIFIED by rule slow-game (first modified flow 1.1), without enforcement");
    }

    @Test
    void theTraceOfARejectNamesTheCodeTheRuleAndTheFlow() {
        Decision d = standard().decide(request("sip:mallory@example.net", null, game(1_000_000, 1_000_000)));
        assertThat(d.trace()).endsWith(
                "flow 1.1: rule blocked matched: reject REQUESTED_SERVICE_NOT_AUTHORIZED (5063): barred",
                "decision REJECT REQUESTED_SERVICE_NOT_AUTHORIZED by rule blocked (first rejected flow 1.1)");
    }

    @Test
    void theTraceOfAGrantBelowTheGuaranteeSaysWhyItWasRefused() {
        PolicySet s = set(rules("""
                rules:
                  - id: starved
                    when: flow.class == "fps-game"
                    grant: {class: fps-game, cap: {downlink: 100k}}
                """));
        Decision d = s.decide(request(PREMIUM, null, game(1_000_000, 1_000_000)));
        assertThat(d.trace()).endsWith(
                "flow 1.1: rule starved matched: grant fps-game refused: DL would be cut to 100k, below the 256k class fps-game guarantees",
                "decision REJECT REQUESTED_SERVICE_NOT_AUTHORIZED by rule starved (first rejected flow 1.1)");
    }

    @Test
    void theTraceOfAnUnknownSubscriberNamesTheUnknownDefault() {
        Decision d = standard().decide(request("sip:eve@partner.example", "192.0.2.10", game(1_000_000, 1_000_000)));
        assertThat(d.trace()).containsExactly(
                "policy " + d.policyVersion() + "; subscriber sip:eve@partner.example at 192.0.2.10: unknown (in no group); "
                        + "origin pcscf.example.net; time 2026-11-27T14:00 Europe/Berlin (fri)",
                "flow 1.1 application class fps-game UL 1M DL 1M latency 40 ms",
                "flow 1.1: subscriber in no group, default.unknown_subscribers: grant best-effort UL 128k DL 128k latency - "
                        + "DSCP 0 QCI - priority 15; modified: UL capped 1M -> 128k (default.unknown_subscribers); "
                        + "DL capped 1M -> 128k (default.unknown_subscribers); latency 40 ms -> no bound (class best-effort); "
                        + "class fps-game -> best-effort (default.unknown_subscribers)",
                "decision ACCEPT_MODIFIED by default.unknown_subscribers (first modified flow 1.1)");
    }

    @Test
    void runsOfRulesThatDidNotMatchEndingAtTheSameRuleAreEachListedInFull() {
        PolicySet s = set(rules("""
                rules:
                  - id: video-cap
                    when: flow.media == "video"
                    defer: {cap: {downlink: 2M}}
                  - id: game
                    when: flow.class == "fps-game"
                    grant: {class: fps-game}
                  - id: everything
                    when: flow.ul_bps >= 0
                    grant: {class: best-effort}
                """));
        PolicyRequest audio = request(PREMIUM, null, flow(1, MediaType.AUDIO, null, 64_000, 64_000, null));
        PolicyRequest video = request(PREMIUM, null, flow(2, MediaType.VIDEO, null, 1_000_000, 1_000_000, null));
        for (int i = 0; i < 3; i++) {
            assertThat(s.decide(audio).trace()).contains("flow 1.1: no match: video-cap, game")
                    .noneMatch(l -> l.startsWith("flow 1.1: no match: game"));
            assertThat(s.decide(video).trace()).contains("flow 2.1: rule video-cap matched: defer (DL cap 2M)", "flow 2.1: no match: game")
                    .noneMatch(l -> l.contains("no match: video-cap"));
        }
    }

    @Test
    void aLongRunOfRulesThatDidNotMatchIsListedInFullEveryTime() {
        StringBuilder body = new StringBuilder("rules:\n");
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            String id = "rule-with-a-rather-long-identifier-so-that-sixty-of-them-make-a-long-line-" + i;
            body.append("  - id: ").append(id).append("\n    when: flow.class == \"voice\"\n    grant: {class: voice}\n");
            ids.append(i == 0 ? "" : ", ").append(id);
        }
        PolicySet s = set(rules(body.toString()));
        assertThat(ids.length()).isGreaterThan(4096);
        for (int i = 0; i < 2; i++) {
            Decision d = s.decide(request(PREMIUM, null, game(1_000_000, 1_000_000)));
            assertThat(d.ruleId()).isEqualTo("default");
            assertThat(d.trace()).contains("flow 1.1: no match: " + ids);
        }
    }

    @Test
    void everyDecisionCarriesTheSetVersion() {
        PolicySet s = standard();
        assertThat(s.decide(request(PREMIUM, null, game(1, 1))).policyVersion()).isEqualTo(s.version());
        assertThat(s.decide(request("sip:mallory@x", null, game(1, 1))).policyVersion()).isEqualTo(s.version());
    }

    @Test
    void aRequestWithoutFlowsIsRejectedAsInvalid() {
        RxRequest rx = request(PREMIUM, null).request();
        Decision d = standard().decide(new PolicyRequest(rx, List.of()));
        assertThat(d.rejectCode()).isEqualTo(ResultCode.INVALID_SERVICE_INFORMATION);
        assertThat(d.ruleId()).isEqualTo("none");
    }
}
