package org.arbiter.policy;

import dev.cel.runtime.CelEvaluationException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.policy.PolicyRequest;
import org.arbiter.core.policy.Verdict;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SubscriptionId;

/**
 * One loaded, validated and compiled policy set: immutable, and safe to decide with from any
 * number of threads. A reload builds a new set and swaps it in whole; a decision holds on to the
 * set it started with.
 *
 * <p><b>How a request is decided.</b> The subscriber's groups and tier are resolved once. Then
 * each flow, in the order given, is decided on its own: missing bandwidths take the media
 * defaults; a subscriber in no group gets {@code default.unknown_subscribers} when the policy has
 * one; otherwise the rules run in order, a {@code defer} adding its limits and going on, the first
 * {@code grant} or {@code reject} that matches deciding, and {@code default} deciding when none
 * does. The flow outcomes then combine into one {@link Decision}:
 * <ul>
 *   <li>any rejected flow rejects the request, with the code, reason and rule of the first one;
 *   <li>otherwise it is accepted, with modification when any grant is less than its flow asked
 *       for; the decision's rule is the one that decided the first modified flow, or the first
 *       flow when none is modified;
 *   <li>it is enforced on devices unless every flow's grant says {@code enforce: false}.
 * </ul>
 */
final class PolicySet {

    /** Rule id recorded when the request had no flow to decide. */
    static final String NO_FLOWS = "none";
    static final String DEFAULT = "default";
    static final String DEFAULT_UNKNOWN = "default.unknown_subscribers";

    /**
     * The bandwidth bounds of a class in one direction.
     *
     * @param guaranteedBps a modified grant below this (or below what was asked, when less) is refused instead
     * @param maximumBps the most a flow gets; -1 for no maximum
     */
    record Limits(long guaranteedBps, long maximumBps) {
        static final Limits NONE = new Limits(0, -1);
    }

    /** A named treatment: what devices do for a flow granted this class. */
    record SessionClass(String name, String description, Integer maxLatencyMs, Limits uplink, Limits downlink,
                        int dscp, Integer qci, int priority, boolean preemptionCapable, boolean preemptionVulnerable) {}

    /**
     * A Subscription-Id pattern: {@code *} matches any run of characters, {@code ?} one, anything
     * else itself with case ignored; the whole value must match.
     */
    record Glob(String pattern) {

        boolean matches(String s) {
            int p = 0;
            int i = 0;
            int star = -1;
            int mark = 0;
            while (i < s.length()) {
                char c = p < pattern.length() ? pattern.charAt(p) : 0;
                if (p < pattern.length() && c != '*' && (c == '?' || same(c, s.charAt(i)))) {
                    p++;
                    i++;
                } else if (c == '*' && p < pattern.length()) {
                    star = p++;
                    mark = i;
                } else if (star >= 0) {
                    p = star + 1;
                    i = ++mark;
                } else {
                    return false;
                }
            }
            while (p < pattern.length() && pattern.charAt(p) == '*') {
                p++;
            }
            return p == pattern.length();
        }

        private static boolean same(char a, char b) {
            return a == b || Character.toLowerCase(a) == Character.toLowerCase(b);
        }
    }

    /** Subscribers picked by Subscription-Id pattern or address range, optionally with a tier. */
    record Group(String name, String tier, List<Glob> subscriptionIds, List<IpPrefix> addresses) {

        Group {
            subscriptionIds = List.copyOf(subscriptionIds);
            addresses = List.copyOf(addresses);
        }

        boolean matches(List<SubscriptionId> ids, byte[] address) {
            // indexed loops: every group is matched for every request, and an iterator over these
            // immutable lists is an object each time
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i).data();
                for (int j = 0; j < subscriptionIds.size(); j++) {
                    if (subscriptionIds.get(j).matches(id)) {
                        return true;
                    }
                }
            }
            if (address != null) {
                for (int j = 0; j < addresses.size(); j++) {
                    if (addresses.get(j).contains(address)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * Limits a rule puts on a grant, each with the rule that set it.
     *
     * @param capUl the most granted uplink, -1 for none
     * @param capDl the most granted downlink, -1 for none
     * @param latencyMs the relaxed latency bound granted, or {@code null}
     * @param enforce false to admit without enforcement on devices
     */
    record Constraints(long capUl, String capUlBy, long capDl, String capDlBy, Integer latencyMs, String latencyBy,
                       boolean enforce, String enforceBy) {

        static final Constraints NONE = new Constraints(-1, null, -1, null, null, null, true, null);

        /** Both sets of limits at once: the lower caps, the looser latency, no enforcement if either says so. */
        Constraints and(Constraints o) {
            boolean ul = o.capUl >= 0 && (capUl < 0 || o.capUl < capUl);
            boolean dl = o.capDl >= 0 && (capDl < 0 || o.capDl < capDl);
            boolean lat = o.latencyMs != null && (latencyMs == null || o.latencyMs > latencyMs);
            boolean en = !o.enforce && enforce;
            return new Constraints(ul ? o.capUl : capUl, ul ? o.capUlBy : capUlBy, dl ? o.capDl : capDl, dl ? o.capDlBy : capDlBy,
                    lat ? o.latencyMs : latencyMs, lat ? o.latencyBy : latencyBy, enforce && o.enforce, en ? o.enforceBy : enforceBy);
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            if (capUl >= 0) {
                parts.add("UL cap " + Bandwidth.format(capUl));
            }
            if (capDl >= 0) {
                parts.add("DL cap " + Bandwidth.format(capDl));
            }
            if (latencyMs != null) {
                parts.add("latency relaxed to " + latencyMs + " ms");
            }
            if (!enforce) {
                parts.add("without enforcement");
            }
            return String.join(", ", parts);
        }
    }

    /** What a rule does when it matches. */
    sealed interface Action permits Grant, Reject, Defer {}

    /** Grant a class, within the given limits. */
    record Grant(String sessionClass, Constraints constraints, String reason) implements Action {}

    /** Refuse the flow (and so the request). */
    record Reject(ResultCode code, String reason) implements Action {}

    /** Add limits and let the next rule decide. */
    record Defer(Constraints constraints, String note) implements Action {}

    /**
     * One rule, compiled.
     *
     * @param where file:line of its id, for traces and messages
     * @param condition the CEL text, or {@code null} when the rule has none (it always matches)
     * @param compiled the compiled condition, or {@code null} when there is none
     */
    record Rule(String id, String description, String where, String condition, Condition compiled, Action action) {}

    /** The outcome for one flow. */
    private record FlowOutcome(FlowGrant grant, ResultCode code, String reason, String ruleId, List<String> changes,
                               String grantReason, boolean enforce) {}

    private final String version;
    private final String contentHash;
    private final Instant loadedAt;
    private final List<String> files;
    private final ZoneId zone;
    private final Map<String, SessionClass> classes;
    private final List<Group> groups;
    private final Map<MediaType, long[]> mediaDefaults;
    private final org.arbiter.core.qos.MediaDefaults extractionDefaults;
    private final List<Rule> rules;
    /**
     * The rule ids joined by {@code ", "}, and where each starts in it (one more entry: the end of
     * the last id plus 2): the rules that did not match form a run, written as a piece of it.
     */
    private final String joinedRuleIds;
    private final int[] ruleIdStarts;
    private final Action unmatched;
    private final Action unknown;

    PolicySet(String contentHash, Instant loadedAt, List<String> files, ZoneId zone, Map<String, SessionClass> classes,
              List<Group> groups, Map<MediaType, long[]> mediaDefaults, List<Rule> rules, Action unmatched, Action unknown) {
        this.contentHash = Objects.requireNonNull(contentHash);
        this.loadedAt = Objects.requireNonNull(loadedAt);
        this.version = contentHash + "@" + loadedAt.truncatedTo(ChronoUnit.SECONDS);
        this.files = List.copyOf(files);
        this.zone = zone;
        this.classes = Map.copyOf(classes);
        this.groups = List.copyOf(groups);
        EnumMap<MediaType, long[]> md = new EnumMap<>(MediaType.class);
        mediaDefaults.forEach((k, v) -> md.put(k, v.clone()));
        this.mediaDefaults = md;
        org.arbiter.core.qos.MediaDefaults ed = org.arbiter.core.qos.MediaDefaults.builtIn();
        for (Map.Entry<MediaType, long[]> e : md.entrySet()) {
            // the extractor applies one bandwidth to every direction a stream carries media in
            ed = ed.withMediaType(e.getKey(), Math.max(e.getValue()[0], e.getValue()[1]));
        }
        this.extractionDefaults = ed;
        this.rules = List.copyOf(rules);
        StringBuilder ids = new StringBuilder();
        this.ruleIdStarts = new int[this.rules.size() + 1];
        for (int i = 0; i < this.rules.size(); i++) {
            if (i > 0) {
                ids.append(", ");
            }
            ruleIdStarts[i] = ids.length();
            ids.append(this.rules.get(i).id());
        }
        ruleIdStarts[this.rules.size()] = ids.length() + 2;
        this.joinedRuleIds = ids.toString();
        this.unmatched = Objects.requireNonNull(unmatched);
        this.unknown = unknown;
    }

    /** Content hash and load time: {@code 3f2a9c1b0d4e@2026-11-27T07:40:12Z}. */
    String version() {
        return version;
    }

    String contentHash() {
        return contentHash;
    }

    Instant loadedAt() {
        return loadedAt;
    }

    List<String> files() {
        return files;
    }

    List<Rule> rules() {
        return rules;
    }

    int classCount() {
        return classes.size();
    }

    int groupCount() {
        return groups.size();
    }

    ZoneId zone() {
        return zone;
    }

    /** One line for logs and the CLI: files, classes, groups, rules, time zone. */
    String summary() {
        return files.size() + (files.size() == 1 ? " file, " : " files, ") + classes.size() + " classes, " + groups.size()
                + " groups, " + rules.size() + " rules, time zone " + zone.getId();
    }

    /** Decides one request against this set. Pure; never returns {@code null}. */
    Decision decide(PolicyRequest pr) {
        RxRequest rx = pr.request();
        List<FlowRequirement> flows = pr.flows();
        List<String> trace = new ArrayList<>();
        String address = rx.framedIpAddress();
        for (int i = 0; address == null && i < flows.size(); i++) {
            address = flows.get(i).ueAddress();
        }
        byte[] addressBytes = IpPrefix.parseAddress(address);
        List<String> memberOf = new ArrayList<>();
        String tier = null;
        for (Group g : groups) {
            if (g.matches(rx.subscriptionIds(), addressBytes)) {
                memberOf.add(g.name());
                if (tier == null) {
                    tier = g.tier();
                }
            }
        }
        RequestFacts facts = new RequestFacts(rx, flows, address, memberOf, tier, zone);
        trace.add("policy " + version + "; subscriber " + (facts.subscriberId.isEmpty() ? "(no Subscription-Id)" : facts.subscriberId)
                + " at " + (facts.subscriberAddress.isEmpty() ? "(no address)" : facts.subscriberAddress) + ": "
                + (facts.known() ? "groups " + String.join(", ", memberOf) + (tier == null ? "" : ", tier " + tier) : "unknown (in no group)")
                + "; origin " + facts.originHost + "; time " + facts.time.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES)
                + " " + zone.getId() + " (" + facts.day() + ")");
        if (flows.isEmpty()) {
            trace.add("decision REJECT: the request has no flow to decide");
            return Decision.reject(ResultCode.INVALID_SERVICE_INFORMATION, "the request has no flow to decide", version, NO_FLOWS, trace);
        }
        FlowOutcome[] outcomes = new FlowOutcome[flows.size()];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = decideFlow(facts, flows.get(i), trace);
        }
        return combine(flows, outcomes, trace);
    }

    /** The bandwidth of media streams that neither Rx AVPs nor SDP state: built-in, overridden by media_defaults. */
    org.arbiter.core.qos.MediaDefaults extractionDefaults() {
        return extractionDefaults;
    }

    private FlowOutcome decideFlow(RequestFacts facts, FlowRequirement f, List<String> trace) {
        String flow = "flow " + f.key();
        long ul = f.uplink().bandwidthBps();
        long dl = f.downlink().bandwidthBps();
        // bandwidth 0 means the direction carries no media: the extractor already applied
        // mediaDefaults() to every direction that does (Rx AVPs, then SDP, then these defaults)
        facts.flow(f, ul, dl);
        StringBuilder head = new StringBuilder(96).append(flow).append(' ')
                .append(f.mediaType() == null ? "(no media type)" : facts.media())
                .append(" class ").append(f.sessionClass() == null ? "-" : f.sessionClass())
                .append(" UL ").append(Bandwidth.format(ul)).append(" DL ").append(Bandwidth.format(dl));
        Integer latency = facts.requestedLatency();
        if (latency != null) {
            head.append(" latency ").append(latency.intValue()).append(" ms");
        }
        trace.add(head.toString());
        if (!facts.known() && unknown != null) {
            return apply(unknown, DEFAULT_UNKNOWN, flow + ": subscriber in no group, " + DEFAULT_UNKNOWN, Constraints.NONE, f, ul, dl, facts, trace);
        }
        Constraints deferred = Constraints.NONE;
        // the rules that did not match since the last trace line: every rule from skippedFrom
        // (-1 for none) up to the one at hand, as a match ends the run with a trace line
        int skippedFrom = -1;
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            boolean match;
            try {
                match = r.compiled() == null || r.compiled().test(facts);
            } catch (CelEvaluationException e) {
                flushSkipped(flow, skippedFrom, i, trace);
                String why = "condition of rule " + r.id() + " (" + r.where() + ") could not be evaluated: " + e.getMessage();
                trace.add(flow + ": " + why + "; failing closed");
                return new FlowOutcome(null, ResultCode.DIAMETER_UNABLE_TO_COMPLY, why, r.id(), List.of(), null, true);
            }
            if (!match) {
                if (skippedFrom < 0) {
                    skippedFrom = i;
                }
                continue;
            }
            flushSkipped(flow, skippedFrom, i, trace);
            skippedFrom = -1;
            if (r.action() instanceof Defer d) {
                deferred = deferred.and(d.constraints());
                String limits = d.constraints().describe();
                trace.add(flow + ": rule " + r.id() + " matched: defer" + (limits.isEmpty() ? "" : " (" + limits + ")")
                        + (d.note() == null ? "" : ": " + d.note()));
                continue;
            }
            return apply(r.action(), r.id(), flow + ": rule " + r.id() + " matched", deferred, f, ul, dl, facts, trace);
        }
        flushSkipped(flow, skippedFrom, rules.size(), trace);
        return apply(unmatched, DEFAULT, flow + ": no rule decided, " + DEFAULT, deferred, f, ul, dl, facts, trace);
    }

    /** The trace line of the rules {@code from} (inclusive, -1 for none) to {@code to} that did not match. */
    private void flushSkipped(String flow, int from, int to, List<String> trace) {
        if (from < 0 || from >= to) {
            return;
        }
        String head = ": no match: ";
        int start = ruleIdStarts[from];
        int end = ruleIdStarts[to] - 2;
        trace.add(new StringBuilder(flow.length() + head.length() + end - start).append(flow).append(head)
                .append(joinedRuleIds, start, end).toString());
    }

    private FlowOutcome apply(Action action, String ruleId, String label, Constraints deferred, FlowRequirement f,
                              long ul, long dl, RequestFacts facts, List<String> trace) {
        if (action instanceof Reject r) {
            trace.add(label + ": reject " + r.code() + " (" + r.code().code() + "): " + r.reason());
            return new FlowOutcome(null, r.code(), r.reason(), ruleId, List.of(), null, true);
        }
        Grant g = (Grant) action;
        SessionClass c = classes.get(g.sessionClass());
        Constraints k = deferred.and(g.constraints());
        List<String> changes = new ArrayList<>();
        long gu = limit("UL", ul, c.uplink(), k.capUl(), k.capUlBy(), c.name(), changes);
        long gd = limit("DL", dl, c.downlink(), k.capDl(), k.capDlBy(), c.name(), changes);
        String floor = belowGuarantee("UL", ul, gu, c.uplink(), c.name());
        if (floor == null) {
            floor = belowGuarantee("DL", dl, gd, c.downlink(), c.name());
        }
        if (floor != null) {
            trace.add(label + ": grant " + c.name() + " refused: " + floor);
            return new FlowOutcome(null, ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED, floor, ruleId, List.of(), null, true);
        }
        Integer latency = c.maxLatencyMs();
        String latencyBy = "class " + c.name();
        if (k.latencyMs() != null && (latency == null || k.latencyMs() > latency)) {
            latency = k.latencyMs();
            latencyBy = k.latencyBy();
        }
        Integer asked = facts.requestedLatency();
        if (asked != null && (latency == null || latency > asked)) {
            changes.add("latency " + asked + " ms -> " + (latency == null ? "no bound" : latency + " ms") + " (" + latencyBy + ")");
        }
        if (!facts.flowClass().isEmpty() && !facts.flowClass().equals(c.name())) {
            changes.add("class " + facts.flowClass() + " -> " + c.name() + " (" + label(ruleId) + ")");
        }
        FlowGrant grant = new FlowGrant(f.key(), c.name(), gu, gd, latency, c.dscp(), c.qci(), c.priority(), !changes.isEmpty());
        StringBuilder line = new StringBuilder(label.length() + 160).append(label).append(": grant ").append(c.name())
                .append(" UL ").append(Bandwidth.format(gu)).append(" DL ").append(Bandwidth.format(gd))
                .append(" latency ");
        if (latency == null) {
            line.append('-');
        } else {
            line.append(latency.intValue()).append(" ms");
        }
        line.append(" DSCP ").append(c.dscp()).append(" QCI ").append(c.qci() == null ? "-" : c.qci())
                .append(" priority ").append(c.priority());
        if (c.preemptionCapable()) {
            line.append(" preemption-capable");
        }
        if (!k.enforce()) {
            line.append(", without enforcement (").append(k.enforceBy()).append(')');
        }
        if (!changes.isEmpty()) {
            line.append("; modified: ").append(String.join("; ", changes));
        }
        if (g.reason() != null) {
            line.append(" -- ").append(g.reason());
        }
        trace.add(line.toString());
        return new FlowOutcome(grant, null, null, ruleId, changes, g.reason(), k.enforce());
    }

    /** The granted bandwidth in one direction: what was asked, within the class maximum and the rule caps. */
    private static long limit(String dir, long asked, Limits lim, long cap, String capBy, String cls, List<String> changes) {
        long v = asked;
        String by = null;
        if (lim.maximumBps() >= 0 && v > lim.maximumBps()) {
            v = lim.maximumBps();
            by = "class " + cls + " maximum";
        }
        if (cap >= 0 && v > cap) {
            v = cap;
            by = capBy;
        }
        if (by != null) {
            changes.add(dir + " capped " + Bandwidth.format(asked) + " -> " + Bandwidth.format(v) + " (" + by + ")");
        }
        return v;
    }

    private static String belowGuarantee(String dir, long asked, long granted, Limits lim, String cls) {
        long floor = Math.min(asked, lim.guaranteedBps());
        if (granted >= floor) {
            return null;
        }
        return dir + " would be cut to " + Bandwidth.format(granted) + ", below the " + Bandwidth.format(lim.guaranteedBps())
                + " class " + cls + " guarantees";
    }

    private Decision combine(List<FlowRequirement> flows, FlowOutcome[] outcomes, List<String> trace) {
        for (int i = 0; i < outcomes.length; i++) {
            FlowOutcome o = outcomes[i];
            if (o.grant() == null) {
                String reason = "flow " + flows.get(i).key() + ": " + o.reason();
                trace.add("decision REJECT " + o.code() + " by " + label(o.ruleId()) + " (first rejected flow " + flows.get(i).key() + ")");
                return Decision.reject(o.code(), reason, version, o.ruleId(), trace);
            }
        }
        List<FlowGrant> grants = new ArrayList<>(outcomes.length);
        List<String> reasons = new ArrayList<>();
        int firstModified = -1;
        boolean enforce = false;
        for (int i = 0; i < outcomes.length; i++) {
            FlowOutcome o = outcomes[i];
            grants.add(o.grant());
            enforce |= o.enforce();
            if (o.grant().modified()) {
                if (firstModified < 0) {
                    firstModified = i;
                }
                reasons.add("flow " + o.grant().key() + ": " + String.join("; ", o.changes())
                        + (o.grantReason() == null ? "" : " (" + o.grantReason() + ")"));
            }
        }
        FlowOutcome decider = outcomes[Math.max(firstModified, 0)];
        Verdict verdict = firstModified >= 0 ? Verdict.ACCEPT_MODIFIED : Verdict.ACCEPT;
        trace.add("decision " + verdict + " by " + label(decider.ruleId())
                + (firstModified >= 0 ? " (first modified flow " + decider.grant().key() + ")" : " (first flow)")
                + (enforce ? "" : ", without enforcement"));
        String reason = firstModified >= 0 ? String.join("; ", reasons) : "granted";
        return new Decision(verdict, grants, null, reason, version, decider.ruleId(), trace, enforce);
    }

    /** "rule x", or the default's own name, for messages. */
    static String label(String ruleId) {
        return ruleId.equals(DEFAULT) || ruleId.equals(DEFAULT_UNKNOWN) || ruleId.equals(NO_FLOWS) ? ruleId : "rule " + ruleId;
    }
}
