package org.arbiter.policy;

import dev.cel.runtime.CelEvaluationException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
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
     *
     * <p>What comes before the first star and after the last one matches a fixed number of
     * characters at each end of the value, so those are compared first: most values a pattern is
     * tried on differ from it there. Only what lies between goes through the search for the stars.
     */
    record Glob(String pattern) {

        boolean matches(String s) {
            int first = pattern.indexOf('*');
            if (first < 0) {
                return s.length() == pattern.length() && fixed(s, 0, 0, pattern.length());
            }
            int last = pattern.lastIndexOf('*');
            int tail = pattern.length() - last - 1;
            return s.length() >= first + tail && fixed(s, 0, 0, first) && fixed(s, s.length() - tail, last + 1, tail)
                    && stars(s, first, s.length() - tail, first, last + 1);
        }

        /** Whether the {@code n} characters of {@code s} from {@code i} match the pattern's from {@code p}, which has no star there. */
        private boolean fixed(String s, int i, int p, int n) {
            for (int k = 0; k < n; k++) {
                char c = pattern.charAt(p + k);
                if (c != '?' && !same(c, s.charAt(i + k))) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether {@code s} from {@code i} to {@code end} matches the pattern from {@code p} to
         * {@code pEnd}, a part that starts and ends with a star: each star takes as little as it
         * can, and takes one more character when what follows it fails.
         */
        private boolean stars(String s, int i, int end, int p, int pEnd) {
            int star = -1;
            int mark = 0;
            while (i < end) {
                char c = p < pEnd ? pattern.charAt(p) : 0;
                if (p < pEnd && c != '*' && (c == '?' || same(c, s.charAt(i)))) {
                    p++;
                    i++;
                } else if (c == '*' && p < pEnd) {
                    star = p++;
                    mark = i;
                } else if (star >= 0) {
                    p = star + 1;
                    i = ++mark;
                } else {
                    return false;
                }
            }
            while (p < pEnd && pattern.charAt(p) == '*') {
                p++;
            }
            return p == pEnd;
        }

        /** Equal with case ignored, as {@link Character#toLowerCase(char)} has it; ASCII without the lookup. */
        private static boolean same(char a, char b) {
            if (a == b) {
                return true;
            }
            if ((a | b) < 0x80) {
                // two ASCII characters: the same letter in the two cases differ in bit 0x20 only
                int lower = a | 0x20;
                return lower == (b | 0x20) && lower >= 'a' && lower <= 'z';
            }
            return Character.toLowerCase(a) == Character.toLowerCase(b);
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

    /**
     * A rule, or a default, with what its decisions write and grant worked out when the set is
     * built, so that a decision only joins these pieces to the flow's name.
     *
     * @param ruleId the rule id, or the default's name
     * @param label {@code rule x}, or the default's name: see {@link #label}
     * @param matched what follows the flow's name on the line of its action: {@code : rule x matched}
     * @param action what it does
     * @param line for a defer or a reject, the whole line after the flow's name; else {@code null}
     * @param granted for a grant, the class granted; else {@code null}
     * @param byClass for a grant, {@code class c}: what set a latency the class bounds
     * @param byClassMaximum for a grant, {@code class c maximum}: what set a bandwidth the class caps
     */
    private record Decider(String ruleId, String label, String matched, Action action, String line, SessionClass granted,
                           String byClass, String byClassMaximum) {

        static Decider of(String ruleId, String matched, Action action, Map<String, SessionClass> classes) {
            String line = switch (action) {
                case Defer d -> {
                    String limits = d.constraints().describe();
                    yield matched + ": defer" + (limits.isEmpty() ? "" : " (" + limits + ")") + (d.note() == null ? "" : ": " + d.note());
                }
                case Reject r -> matched + ": reject " + r.code() + " (" + r.code().code() + "): " + r.reason();
                case Grant g -> null;
            };
            SessionClass c = action instanceof Grant g ? classes.get(g.sessionClass()) : null;
            return new Decider(ruleId, PolicySet.label(ruleId), matched, action, line, c, c == null ? null : "class " + c.name(),
                    c == null ? null : "class " + c.name() + " maximum");
        }
    }

    /**
     * The outcome for one flow.
     *
     * @param flow {@code flow 1.2}: the flow's name in the trace and reasons
     * @param changes the modifications of a grant, joined by {@code "; "}; {@code null} when none
     */
    private record FlowOutcome(FlowGrant grant, ResultCode code, String reason, Decider decider, String flow, String changes,
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
    /**
     * The text of the last run of rules that did not match ending at each rule (or at the end:
     * one more entry), kept for the decisions that follow: a policy's traffic goes through a few
     * runs only, mostly the rules before the one that decides. Any thread may replace an entry; a
     * race only costs building the text again.
     */
    private final AtomicReferenceArray<SkippedRun> skippedRuns;
    /**
     * What the changes of a modified grant start with room for: two caps by a rule with an id of 12
     * or so characters and a latency, without growing.
     */
    private static final int CHANGES_CAPACITY = 128;

    /** The longest run text kept: at most this many characters per rule stay with the set. */
    private static final int MAX_KEPT_RUN = 4096;

    /**
     * The rules from {@code from} up to the one a run is kept at that did not match, as their trace
     * line writes them after the flow's name: {@code ": no match: a, b"}.
     */
    private record SkippedRun(int from, String text) {}

    /**
     * The zone's offset over the instants whose epoch second lies strictly between {@code after}
     * and {@code before}.
     */
    private record OffsetSpan(long after, long before, int offsetSeconds) {}

    /**
     * The offset found last, for {@link #offsetSeconds}: a cache that any thread may replace, with
     * an immutable value that is right for its span, so a race only costs a lookup.
     */
    private volatile OffsetSpan offsets = new OffsetSpan(0, 0, 0);
    /** By rule: the flow.class its condition requires (see {@link Condition#requiredFlowClass}), or {@code null}. */
    private final String[] requiredFlowClass;
    /** The rules as deciders, in order. */
    private final Decider[] deciders;
    private final Decider unmatched;
    /** {@code default.unknown_subscribers}, or {@code null} when the policy has none. */
    private final Decider unknown;

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
        this.skippedRuns = new AtomicReferenceArray<>(this.rules.size() + 1);
        this.deciders = new Decider[this.rules.size()];
        this.requiredFlowClass = new String[this.rules.size()];
        for (int i = 0; i < deciders.length; i++) {
            Rule r = this.rules.get(i);
            requiredFlowClass[i] = r.compiled() == null ? null : r.compiled().requiredFlowClass();
            deciders[i] = Decider.of(r.id(), ": rule " + r.id() + " matched", r.action(), this.classes);
        }
        this.unmatched = Decider.of(DEFAULT, ": no rule decided, " + DEFAULT, Objects.requireNonNull(unmatched), this.classes);
        this.unknown = unknown == null ? null
                : Decider.of(DEFAULT_UNKNOWN, ": subscriber in no group, " + DEFAULT_UNKNOWN, unknown, this.classes);
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
        // a line for the request and the decision, and for each flow about four: its head, the
        // rules that did not match, the match, and a defer now and then
        List<String> trace = new ArrayList<>(2 + 4 * flows.size());
        String address = rx.framedIpAddress();
        for (int i = 0; address == null && i < flows.size(); i++) {
            address = flows.get(i).ueAddress();
        }
        byte[] addressBytes = IpPrefix.parseAddress(address);
        // the names of the groups the subscriber is in, made only when there is one
        String[] memberOf = null;
        int members = 0;
        String tier = null;
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            if (g.matches(rx.subscriptionIds(), addressBytes)) {
                if (memberOf == null) {
                    memberOf = new String[groups.size() - i];
                }
                memberOf[members++] = g.name();
                if (tier == null) {
                    tier = g.tier();
                }
            }
        }
        List<String> groupNames = members == 0 ? List.of() : List.of(members == memberOf.length ? memberOf : Arrays.copyOf(memberOf, members));
        RequestFacts facts = new RequestFacts(rx, flows, address, groupNames, tier, offsetSeconds(rx.receivedAt()));
        StringBuilder head = new StringBuilder(160 + version.length()).append("policy ").append(version).append("; subscriber ")
                .append(facts.subscriberId.isEmpty() ? "(no Subscription-Id)" : facts.subscriberId)
                .append(" at ").append(facts.subscriberAddress.isEmpty() ? "(no address)" : facts.subscriberAddress).append(": ");
        if (members == 0) {
            head.append("unknown (in no group)");
        } else {
            head.append("groups ");
            for (int i = 0; i < members; i++) {
                if (i > 0) {
                    head.append(", ");
                }
                head.append(memberOf[i]);
            }
            if (tier != null) {
                head.append(", tier ").append(tier);
            }
        }
        head.append("; origin ").append(facts.originHost).append("; time ");
        facts.appendTime(head).append(' ').append(zone.getId()).append(" (").append(facts.day()).append(')');
        trace.add(head.toString());
        if (flows.isEmpty()) {
            trace.add("decision REJECT: the request has no flow to decide");
            return Decision.reject(ResultCode.INVALID_SERVICE_INFORMATION, "the request has no flow to decide", version, NO_FLOWS, trace);
        }
        FlowOutcome[] outcomes = new FlowOutcome[flows.size()];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = decideFlow(facts, flows.get(i), trace);
        }
        return combine(outcomes, trace);
    }

    /**
     * The zone's offset from UTC at an instant, as {@code zone.getRules().getOffset(at)} gives it.
     * The offset found last is kept with the span between the zone's transitions it holds for: the
     * requests that follow nearly always fall in the same span.
     */
    int offsetSeconds(Instant at) {
        OffsetSpan span = offsets;
        long second = at.getEpochSecond();
        if (second > span.after() && second < span.before()) {
            return span.offsetSeconds();
        }
        ZoneRules zoneRules = zone.getRules();
        int offset = zoneRules.getOffset(at).getTotalSeconds();
        if (second == Instant.MAX.getEpochSecond()) {
            return offset;
        }
        // the last transition at or before the second and the first one after it (both methods
        // skip a transition at the instant they are given): the offset holds from the one up to
        // the other, so for every instant whose second lies strictly between the two
        ZoneOffsetTransition previous = zoneRules.previousTransition(Instant.ofEpochSecond(second + 1));
        ZoneOffsetTransition next = zoneRules.nextTransition(Instant.ofEpochSecond(second));
        offsets = new OffsetSpan(previous == null ? Long.MIN_VALUE : previous.toEpochSecond(),
                next == null ? Long.MAX_VALUE : next.toEpochSecond(), offset);
        return offset;
    }

    /** The bandwidth of media streams that neither Rx AVPs nor SDP state: built-in, overridden by media_defaults. */
    org.arbiter.core.qos.MediaDefaults extractionDefaults() {
        return extractionDefaults;
    }

    private FlowOutcome decideFlow(RequestFacts facts, FlowRequirement f, List<String> trace) {
        String flow = "flow " + f.key().mediaComponent() + "." + f.key().flow();
        long ul = f.uplink().bandwidthBps();
        long dl = f.downlink().bandwidthBps();
        // bandwidth 0 means the direction carries no media: the extractor already applied
        // mediaDefaults() to every direction that does (Rx AVPs, then SDP, then these defaults)
        facts.flow(f, ul, dl);
        StringBuilder head = new StringBuilder(96).append(flow).append(' ')
                .append(f.mediaType() == null ? "(no media type)" : facts.media())
                .append(" class ").append(f.sessionClass() == null ? "-" : f.sessionClass())
                .append(" UL ");
        Bandwidth.append(head, ul).append(" DL ");
        Bandwidth.append(head, dl);
        Integer latency = facts.requestedLatency();
        if (latency != null) {
            head.append(" latency ").append(latency.intValue()).append(" ms");
        }
        trace.add(head.toString());
        if (!facts.known() && unknown != null) {
            return apply(unknown, flow, Constraints.NONE, f, ul, dl, facts, trace);
        }
        Constraints deferred = Constraints.NONE;
        // the rules that did not match since the last trace line: every rule from skippedFrom
        // (-1 for none) up to the one at hand, as a match ends the run with a trace line
        int skippedFrom = -1;
        String flowClass = facts.flowClass();
        for (int i = 0; i < deciders.length; i++) {
            Rule r = rules.get(i);
            String requiredClass = requiredFlowClass[i];
            boolean match;
            try {
                match = (requiredClass == null || requiredClass.equals(flowClass)) && (r.compiled() == null || r.compiled().test(facts));
            } catch (CelEvaluationException e) {
                flushSkipped(flow, skippedFrom, i, trace);
                String why = "condition of rule " + r.id() + " (" + r.where() + ") could not be evaluated: " + e.getMessage();
                trace.add(flow + ": " + why + "; failing closed");
                return new FlowOutcome(null, ResultCode.DIAMETER_UNABLE_TO_COMPLY, why, deciders[i], flow, null, null, true);
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
                trace.add(flow.concat(deciders[i].line()));
                continue;
            }
            return apply(deciders[i], flow, deferred, f, ul, dl, facts, trace);
        }
        flushSkipped(flow, skippedFrom, deciders.length, trace);
        return apply(unmatched, flow, deferred, f, ul, dl, facts, trace);
    }

    /** The trace line of the rules {@code from} (inclusive, -1 for none) to {@code to} that did not match. */
    private void flushSkipped(String flow, int from, int to, List<String> trace) {
        if (from < 0 || from >= to) {
            return;
        }
        SkippedRun run = skippedRuns.get(to);
        if (run == null || run.from() != from) {
            String head = ": no match: ";
            int start = ruleIdStarts[from];
            int end = ruleIdStarts[to] - 2;
            run = new SkippedRun(from, new StringBuilder(head.length() + end - start).append(head)
                    .append(joinedRuleIds, start, end).toString());
            if (run.text().length() <= MAX_KEPT_RUN) {
                skippedRuns.set(to, run);
            }
        }
        trace.add(flow.concat(run.text()));
    }

    private FlowOutcome apply(Decider d, String flow, Constraints deferred, FlowRequirement f, long ul, long dl,
                              RequestFacts facts, List<String> trace) {
        if (d.action() instanceof Reject r) {
            trace.add(flow.concat(d.line()));
            return new FlowOutcome(null, r.code(), r.reason(), d, flow, null, null, true);
        }
        Grant g = (Grant) d.action();
        SessionClass c = d.granted();
        Constraints k = deferred.and(g.constraints());
        long gu = limit(ul, c.uplink(), k.capUl());
        long gd = limit(dl, c.downlink(), k.capDl());
        // what was changed, joined by "; ": made only for a modified grant
        StringBuilder changes = null;
        if (gu < ul) {
            changes = capped(changes, "UL", ul, gu, cappedBy(ul, c.uplink(), k.capUl(), k.capUlBy(), d.byClassMaximum()));
        }
        if (gd < dl) {
            changes = capped(changes, "DL", dl, gd, cappedBy(dl, c.downlink(), k.capDl(), k.capDlBy(), d.byClassMaximum()));
        }
        String floor = belowGuarantee("UL", ul, gu, c.uplink(), c.name());
        if (floor == null) {
            floor = belowGuarantee("DL", dl, gd, c.downlink(), c.name());
        }
        if (floor != null) {
            trace.add(flow + d.matched() + ": grant " + c.name() + " refused: " + floor);
            return new FlowOutcome(null, ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED, floor, d, flow, null, null, true);
        }
        Integer latency = c.maxLatencyMs();
        boolean relaxed = k.latencyMs() != null && (latency == null || k.latencyMs() > latency);
        if (relaxed) {
            latency = k.latencyMs();
        }
        Integer asked = facts.requestedLatency();
        if (asked != null && (latency == null || latency > asked)) {
            changes = changes == null ? new StringBuilder(CHANGES_CAPACITY) : changes.append("; ");
            changes.append("latency ").append(asked.intValue()).append(" ms -> ");
            if (latency == null) {
                changes.append("no bound");
            } else {
                changes.append(latency.intValue()).append(" ms");
            }
            changes.append(" (").append(relaxed ? k.latencyBy() : d.byClass()).append(')');
        }
        if (!facts.flowClass().isEmpty() && !facts.flowClass().equals(c.name())) {
            changes = changes == null ? new StringBuilder(CHANGES_CAPACITY) : changes.append("; ");
            changes.append("class ").append(facts.flowClass()).append(" -> ").append(c.name()).append(" (").append(d.label()).append(')');
        }
        FlowGrant grant = new FlowGrant(f.key(), c.name(), gu, gd, latency, c.dscp(), c.qci(), c.priority(), changes != null);
        String changed = changes == null ? null : changes.toString();
        StringBuilder line = new StringBuilder(flow.length() + d.matched().length() + 128
                + (changed == null ? 0 : changed.length() + 12) + (g.reason() == null ? 0 : g.reason().length() + 4))
                .append(flow).append(d.matched()).append(": grant ").append(c.name()).append(" UL ");
        Bandwidth.append(line, gu).append(" DL ");
        Bandwidth.append(line, gd).append(" latency ");
        if (latency == null) {
            line.append('-');
        } else {
            line.append(latency.intValue()).append(" ms");
        }
        line.append(" DSCP ").append(c.dscp()).append(" QCI ");
        if (c.qci() == null) {
            line.append('-');
        } else {
            line.append(c.qci().intValue());
        }
        line.append(" priority ").append(c.priority());
        if (c.preemptionCapable()) {
            line.append(" preemption-capable");
        }
        if (!k.enforce()) {
            line.append(", without enforcement (").append(k.enforceBy()).append(')');
        }
        if (changed != null) {
            line.append("; modified: ").append(changed);
        }
        if (g.reason() != null) {
            line.append(" -- ").append(g.reason());
        }
        trace.add(line.toString());
        return new FlowOutcome(grant, null, null, d, flow, changed, g.reason(), k.enforce());
    }

    /** The granted bandwidth in one direction: what was asked, within the class maximum and the rule cap. */
    private static long limit(long asked, Limits lim, long cap) {
        long v = asked;
        if (lim.maximumBps() >= 0 && v > lim.maximumBps()) {
            v = lim.maximumBps();
        }
        if (cap >= 0 && v > cap) {
            v = cap;
        }
        return v;
    }

    /** What set a {@link #limit} below what was asked: the rule cap when it applied, else the class maximum. */
    private static String cappedBy(long asked, Limits lim, long cap, String capBy, String byClassMaximum) {
        long v = lim.maximumBps() >= 0 && asked > lim.maximumBps() ? lim.maximumBps() : asked;
        return cap >= 0 && v > cap ? capBy : byClassMaximum;
    }

    /** Adds {@code UL capped 2M -> 1M (by)} to the changes, making them when there are none yet. */
    private static StringBuilder capped(StringBuilder changes, String dir, long asked, long granted, String by) {
        StringBuilder sb = changes == null ? new StringBuilder(CHANGES_CAPACITY) : changes.append("; ");
        sb.append(dir).append(" capped ");
        Bandwidth.append(sb, asked).append(" -> ");
        Bandwidth.append(sb, granted).append(" (").append(by).append(')');
        return sb;
    }

    private static String belowGuarantee(String dir, long asked, long granted, Limits lim, String cls) {
        long floor = Math.min(asked, lim.guaranteedBps());
        if (granted >= floor) {
            return null;
        }
        return dir + " would be cut to " + Bandwidth.format(granted) + ", below the " + Bandwidth.format(lim.guaranteedBps())
                + " class " + cls + " guarantees";
    }

    private Decision combine(FlowOutcome[] outcomes, List<String> trace) {
        for (FlowOutcome o : outcomes) {
            if (o.grant() == null) {
                trace.add("decision REJECT " + o.code() + " by " + o.decider().label() + " (first rejected " + o.flow() + ")");
                return Decision.reject(o.code(), o.flow() + ": " + o.reason(), version, o.decider().ruleId(), trace);
            }
        }
        FlowGrant[] grants = new FlowGrant[outcomes.length];
        StringBuilder reasons = null;
        int firstModified = -1;
        boolean enforce = false;
        for (int i = 0; i < outcomes.length; i++) {
            FlowOutcome o = outcomes[i];
            grants[i] = o.grant();
            enforce |= o.enforce();
            if (o.grant().modified()) {
                if (firstModified < 0) {
                    firstModified = i;
                    reasons = new StringBuilder(o.flow().length() + o.changes().length() + 64);
                } else {
                    reasons.append("; ");
                }
                reasons.append(o.flow()).append(": ").append(o.changes());
                if (o.grantReason() != null) {
                    reasons.append(" (").append(o.grantReason()).append(')');
                }
            }
        }
        FlowOutcome decider = outcomes[Math.max(firstModified, 0)];
        Verdict verdict = firstModified >= 0 ? Verdict.ACCEPT_MODIFIED : Verdict.ACCEPT;
        trace.add("decision " + verdict + " by " + decider.decider().label()
                + (firstModified >= 0 ? " (first modified " + decider.flow() + ")" : " (first flow)")
                + (enforce ? "" : ", without enforcement"));
        String reason = firstModified >= 0 ? reasons.toString() : "granted";
        return new Decision(verdict, List.of(grants), null, reason, version, decider.decider().ruleId(), trace, enforce);
    }

    /** "rule x", or the default's own name, for messages. */
    static String label(String ruleId) {
        return ruleId.equals(DEFAULT) || ruleId.equals(DEFAULT_UNKNOWN) || ruleId.equals(NO_FLOWS) ? ruleId : "rule " + ruleId;
    }
}
