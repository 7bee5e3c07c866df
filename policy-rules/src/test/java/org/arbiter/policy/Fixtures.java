package org.arbiter.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.arbiter.core.policy.PolicyRequest;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.qos.QosRequirement;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SubscriptionId;

/** Policy sources and requests for the unit tests: everything in memory. */
final class Fixtures {

    static final Instant LOADED = Instant.parse("2026-11-27T08:00:00Z");
    /** A Friday, 14:00 in Europe/Berlin. */
    static final Instant AFTERNOON = Instant.parse("2026-11-27T13:00:00Z");

    static final String CLASSES = """
            settings:
              time_zone: Europe/Berlin
            media_defaults:
              audio: {uplink: 64k, downlink: 64k}
              application: {uplink: 1M, downlink: 1M}
            classes:
              fps-game:
                max_latency_ms: 40
                uplink:   {guaranteed: 256k, maximum: 4M}
                downlink: {guaranteed: 256k, maximum: 4M}
                dscp: EF
                qci: 3
                priority: 2
                preemption_capable: true
              voice:
                max_latency_ms: 100
                uplink:   {maximum: 256k}
                downlink: {maximum: 256k}
                dscp: 46
                qci: 1
                priority: 1
              best-effort:
                uplink:   {maximum: 2M}
                downlink: {maximum: 2M}
                dscp: BE
                priority: 15
            groups:
              blocked:
                subscription_ids: ["sip:mallory@*"]
              premium:
                tier: premium
                subscription_ids: ["sip:*@pro.example"]
              basic:
                tier: basic
                addresses: ["10.0.0.0/8"]
            """;

    static final String RULES = """
            rules:
              - id: blocked
                when: '"blocked" in subscriber.groups'
                reject:
                  code: REQUESTED_SERVICE_NOT_AUTHORIZED
                  reason: barred
              - id: premium-game
                when: flow.class == "fps-game" && subscriber.tier == "premium"
                grant:
                  class: fps-game
              - id: basic-game
                when: flow.class == "fps-game" && subscriber.tier == "basic"
                grant:
                  class: fps-game
                  cap: {uplink: 1M, downlink: 1M}
                  reason: basic cap
              - id: voice
                when: flow.media == "audio"
                grant:
                  class: voice
            default:
              grant:
                class: best-effort
              unknown_subscribers:
                grant:
                  class: best-effort
                  cap: {uplink: 128k, downlink: 128k}
            """;

    private Fixtures() {}

    /** Sources by file name, from alternating name/content arguments. */
    static TreeMap<String, String> files(String... nameThenContent) {
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            m.put(nameThenContent[i], nameThenContent[i + 1]);
        }
        return m;
    }

    static PolicyParser.Result parse(Map<String, String> files) {
        return PolicyParser.parse(null, new TreeMap<>(files), LOADED);
    }

    /** The example set, plus the given rules file (replacing rules.yaml when named so). */
    static PolicySet set(String rules) {
        PolicyParser.Result r = parse(files("classes.yaml", CLASSES, "rules.yaml", rules));
        if (!r.ok()) {
            throw new AssertionError("fixture policy invalid: " + r.errors());
        }
        return r.set();
    }

    /** As {@link #set(String)}, in another time zone. */
    static PolicySet set(String rules, String timeZone) {
        PolicyParser.Result r = parse(files("classes.yaml", CLASSES.replace("time_zone: Europe/Berlin", "time_zone: " + timeZone),
                "rules.yaml", rules));
        if (!r.ok()) {
            throw new AssertionError("fixture policy invalid: " + r.errors());
        }
        return r.set();
    }

    static PolicySet standard() {
        return set(RULES);
    }

    static FlowRequirement flow(int component, MediaType media, String cls, long ul, long dl, Integer latencyMs) {
        return new FlowRequirement(new FlowKey(component, 1), media, null, null,
                new QosRequirement(ul, cls, latencyMs, null, null, null),
                new QosRequirement(dl, cls, latencyMs, null, null, null), null, null, Set.of());
    }

    static FlowRequirement game(long ul, long dl) {
        return flow(1, MediaType.APPLICATION, "fps-game", ul, dl, 40);
    }

    static PolicyRequest request(String subscriber, String address, FlowRequirement... flows) {
        return request(subscriber, address, "pcscf.example.net", AFTERNOON, flows);
    }

    static PolicyRequest request(String subscriber, String address, String originHost, Instant at, FlowRequirement... flows) {
        List<SubscriptionId> ids = new ArrayList<>();
        if (subscriber != null) {
            ids.add(new SubscriptionId(SubscriptionId.Type.END_USER_SIP_URI, subscriber));
        }
        RxRequest rx = new RxRequest("s;1", originHost, "example.net", ids, address, List.of(), Set.of(), null, null, null, at);
        return new PolicyRequest(rx, List.of(flows));
    }
}
