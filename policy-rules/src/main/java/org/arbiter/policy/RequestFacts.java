package org.arbiter.policy;

import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelVariableResolver;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.qos.Modification;
import org.arbiter.core.qos.Security;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SubscriptionId;

/**
 * The values of the request model for one request, and for the flow being decided: what rule
 * conditions see. Request-wide values are computed once; {@link #flow} moves the flow-level ones to
 * the next flow. The list values ({@code request.classes}, {@code flow.modifications}) are made
 * when a condition first reads them, as most policies never do.
 *
 * <p>Not thread-safe: one instance serves one decision on one thread.
 */
final class RequestFacts implements CelVariableResolver {

    private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    /** The value of {@code flow.media} for each media type, by ordinal: made once, not per flow. */
    private static final String[] MEDIA = new String[MediaType.values().length];

    /** The value of {@code flow.security} for each security, by ordinal. */
    private static final String[] SECURITY = new String[Security.values().length];

    private static final int SECONDS_PER_DAY = 86_400;

    static {
        for (MediaType t : MediaType.values()) {
            MEDIA[t.ordinal()] = t.name().toLowerCase(Locale.ROOT);
        }
        for (Security s : Security.values()) {
            SECURITY[s.ordinal()] = s.token();
        }
    }

    final String subscriberId;
    final List<String> subscriberIds;
    final String subscriberAddress;
    final List<String> groups;
    final String tier;
    final String originHost;
    final String originRealm;
    final String application;
    final long flowCount;
    private final List<FlowRequirement> flows;
    /** {@code request.classes}, made on first read. */
    private List<String> classes;
    /** The local date in the policy's zone. */
    private final LocalDate date;
    private final long hour;
    private final long minute;
    private final long weekday;

    private FlowRequirement flow;
    private long component;
    private long number;
    private String media = "";
    private String flowClass = "";
    private long ulBps;
    private long dlBps;
    private long latencyMs;
    private long jitterMs;
    private double lossPercent;
    private String security = "";
    private boolean modified;
    /** {@code flow.modifications} of the flow at hand, made on first read; {@code null} until then. */
    private List<String> modifications;
    private String peer = "";

    RequestFacts(RxRequest request, List<FlowRequirement> flows, String address, List<String> groups, String tier, ZoneId zone) {
        this(request, flows, address, groups, tier, zone.getRules().getOffset(request.receivedAt()).getTotalSeconds());
    }

    /**
     * @param offsetSeconds the policy zone's offset from UTC at the time the request was received
     */
    RequestFacts(RxRequest request, List<FlowRequirement> flows, String address, List<String> groups, String tier, int offsetSeconds) {
        List<SubscriptionId> ids = request.subscriptionIds();
        this.subscriberIds = switch (ids.size()) {
            case 0 -> List.of();
            case 1 -> List.of(ids.getFirst().data());
            default -> {
                String[] data = new String[ids.size()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = ids.get(i).data();
                }
                yield List.of(data);
            }
        };
        this.subscriberId = subscriberIds.isEmpty() ? "" : subscriberIds.getFirst();
        this.subscriberAddress = address == null ? "" : address;
        this.groups = List.copyOf(groups);
        this.tier = tier == null ? "" : tier;
        this.originHost = request.originHost();
        this.originRealm = request.originRealm() == null ? "" : request.originRealm();
        this.application = request.afApplicationIdentifier() == null ? "" : request.afApplicationIdentifier();
        this.flowCount = flows.size();
        this.flows = flows;
        // the local date and time as java.time computes them (ZonedDateTime), without its objects
        // (and the same DateTimeException for an instant beyond the dates it knows)
        long local = request.receivedAt().getEpochSecond() + offsetSeconds;
        this.date = LocalDate.ofEpochDay(Math.floorDiv(local, SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(local, SECONDS_PER_DAY);
        this.hour = secondOfDay / 3600;
        this.minute = secondOfDay / 60 % 60;
        this.weekday = date.getDayOfWeek().getValue();
    }

    /** Points the flow-level variables at one flow, with its bandwidths. */
    void flow(FlowRequirement f, long ul, long dl) {
        this.flow = f;
        this.component = f.key().mediaComponent();
        this.number = f.key().flow();
        this.media = f.mediaType() == null ? "" : MEDIA[f.mediaType().ordinal()];
        this.flowClass = f.sessionClass() == null ? "" : f.sessionClass();
        this.ulBps = ul;
        this.dlBps = dl;
        this.latencyMs = first(f.downlink().maxLatencyMs(), f.uplink().maxLatencyMs());
        this.jitterMs = first(f.downlink().maxJitterMs(), f.uplink().maxJitterMs());
        Double loss = f.downlink().maxLossPercent() != null ? f.downlink().maxLossPercent() : f.uplink().maxLossPercent();
        this.lossPercent = loss == null ? 0.0 : loss;
        this.security = f.downlink().security() != null ? SECURITY[f.downlink().security().ordinal()]
                : f.uplink().security() != null ? SECURITY[f.uplink().security().ordinal()] : "";
        this.modified = f.modified();
        this.modifications = null;
        this.peer = f.peerAddress() == null ? "" : f.peerAddress();
    }

    /** {@code flow.modifications}: the names of the flow's modifications, in their order. */
    List<String> modifications() {
        List<String> m = modifications;
        if (m == null) {
            if (flow == null || flow.modifications().isEmpty()) {
                m = List.of();
            } else {
                String[] names = new String[flow.modifications().size()];
                int i = 0;
                for (Modification x : flow.modifications()) {
                    names[i++] = x.name();
                }
                m = List.of(names);
            }
            modifications = m;
        }
        return m;
    }

    /** {@code request.classes}: the flows' classes, each once, in the order of the flows. */
    List<String> classes() {
        List<String> c = classes;
        if (c == null) {
            Set<String> cls = new LinkedHashSet<>();
            for (FlowRequirement f : flows) {
                if (f.sessionClass() != null) {
                    cls.add(f.sessionClass());
                }
            }
            c = List.copyOf(cls);
            classes = c;
        }
        return c;
    }

    /**
     * Appends the local date and time to the minute, as {@code LocalDateTime.toString} writes it
     * once truncated to minutes: {@code 2026-11-27T14:05}.
     */
    StringBuilder appendTime(StringBuilder sb) {
        int year = date.getYear();
        if (year >= 0 && year <= 9999) {
            // four digits, as LocalDate writes the years it does not sign
            sb.append((char) ('0' + year / 1000)).append((char) ('0' + year / 100 % 10)).append((char) ('0' + year / 10 % 10))
                    .append((char) ('0' + year % 10));
            twoDigits(sb.append('-'), date.getMonthValue());
            twoDigits(sb.append('-'), date.getDayOfMonth());
        } else {
            sb.append(date);
        }
        twoDigits(sb.append('T'), (int) hour);
        return twoDigits(sb.append(':'), (int) minute);
    }

    private static StringBuilder twoDigits(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** The flow's requested latency bound in ms, or {@code null}. */
    Integer requestedLatency() {
        return latencyMs == 0 ? null : (int) latencyMs;
    }

    String flowClass() {
        return flowClass;
    }

    /** The value of {@code time.day}: {@code mon} .. {@code sun}. */
    String day() {
        return DAYS[(int) weekday - 1];
    }

    String media() {
        return media;
    }

    boolean known() {
        return !groups.isEmpty();
    }

    private static long first(Integer a, Integer b) {
        return a != null ? a : b != null ? b : 0;
    }

    @Override
    public Optional<Object> find(String name) {
        CelType type = Conditions.VARIABLES.get(name);
        if (type == null) {
            return Optional.empty();
        }
        Object v;
        if (type.equals(SimpleType.INT)) {
            v = longVariable(name).applyAsLong(this);
        } else if (type.equals(SimpleType.DOUBLE)) {
            v = doubleVariable(name).applyAsDouble(this);
        } else if (type.equals(SimpleType.BOOL)) {
            v = boolVariable(name).test(this);
        } else if (type.equals(SimpleType.STRING)) {
            v = stringVariable(name).apply(this);
        } else {
            v = listVariable(name).apply(this);
        }
        return Optional.of(v);
    }

    // The accessors of each variable, looked up once when a condition is compiled.

    static ToLongFunction<RequestFacts> longVariable(String name) {
        return switch (name) {
            case Conditions.FLOW_COMPONENT -> f -> f.component;
            case Conditions.FLOW_NUMBER -> f -> f.number;
            case Conditions.FLOW_UL_BPS -> f -> f.ulBps;
            case Conditions.FLOW_DL_BPS -> f -> f.dlBps;
            case Conditions.FLOW_LATENCY_MS -> f -> f.latencyMs;
            case Conditions.FLOW_JITTER_MS -> f -> f.jitterMs;
            case Conditions.REQUEST_FLOWS -> f -> f.flowCount;
            case Conditions.TIME_HOUR -> f -> f.hour;
            case Conditions.TIME_MINUTE -> f -> f.minute;
            case Conditions.TIME_WEEKDAY -> f -> f.weekday;
            default -> throw new IllegalArgumentException("no int variable " + name);
        };
    }

    static ToDoubleFunction<RequestFacts> doubleVariable(String name) {
        if (name.equals(Conditions.FLOW_LOSS_PERCENT)) {
            return f -> f.lossPercent;
        }
        throw new IllegalArgumentException("no double variable " + name);
    }

    static Predicate<RequestFacts> boolVariable(String name) {
        return switch (name) {
            case Conditions.FLOW_MODIFIED -> f -> f.modified;
            case Conditions.SUBSCRIBER_KNOWN -> RequestFacts::known;
            default -> throw new IllegalArgumentException("no bool variable " + name);
        };
    }

    static Function<RequestFacts, String> stringVariable(String name) {
        return switch (name) {
            case Conditions.FLOW_MEDIA -> f -> f.media;
            case Conditions.FLOW_CLASS -> f -> f.flowClass;
            case Conditions.FLOW_SECURITY -> f -> f.security;
            case Conditions.FLOW_PEER -> f -> f.peer;
            case Conditions.SUBSCRIBER_ID -> f -> f.subscriberId;
            case Conditions.SUBSCRIBER_ADDRESS -> f -> f.subscriberAddress;
            case Conditions.SUBSCRIBER_TIER -> f -> f.tier;
            case Conditions.ORIGIN_HOST -> f -> f.originHost;
            case Conditions.ORIGIN_REALM -> f -> f.originRealm;
            case Conditions.REQUEST_APPLICATION -> f -> f.application;
            case Conditions.TIME_DAY -> RequestFacts::day;
            default -> throw new IllegalArgumentException("no string variable " + name);
        };
    }

    /** {@code name == value} for a string variable, reading the variable's field. */
    static Predicate<RequestFacts> stringEquals(String name, String value) {
        return switch (name) {
            case Conditions.FLOW_MEDIA -> f -> value.equals(f.media);
            case Conditions.FLOW_CLASS -> f -> value.equals(f.flowClass);
            case Conditions.FLOW_SECURITY -> f -> value.equals(f.security);
            case Conditions.FLOW_PEER -> f -> value.equals(f.peer);
            case Conditions.SUBSCRIBER_ID -> f -> value.equals(f.subscriberId);
            case Conditions.SUBSCRIBER_ADDRESS -> f -> value.equals(f.subscriberAddress);
            case Conditions.SUBSCRIBER_TIER -> f -> value.equals(f.tier);
            case Conditions.ORIGIN_HOST -> f -> value.equals(f.originHost);
            case Conditions.ORIGIN_REALM -> f -> value.equals(f.originRealm);
            case Conditions.REQUEST_APPLICATION -> f -> value.equals(f.application);
            case Conditions.TIME_DAY -> f -> value.equals(f.day());
            default -> throw new IllegalArgumentException("no string variable " + name);
        };
    }

    static Function<RequestFacts, List<String>> listVariable(String name) {
        return switch (name) {
            case Conditions.FLOW_MODIFICATIONS -> RequestFacts::modifications;
            case Conditions.SUBSCRIBER_IDS -> f -> f.subscriberIds;
            case Conditions.SUBSCRIBER_GROUPS -> f -> f.groups;
            case Conditions.REQUEST_CLASSES -> RequestFacts::classes;
            default -> throw new IllegalArgumentException("no list variable " + name);
        };
    }
}
