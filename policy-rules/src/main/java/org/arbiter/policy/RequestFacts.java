package org.arbiter.policy;

import dev.cel.runtime.CelVariableResolver;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.qos.Modification;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SubscriptionId;

/**
 * The values of the request model for one request, and for the flow being decided: what rule
 * conditions see. Request-wide values are computed once; {@link #flow} moves the flow-level ones to
 * the next flow.
 *
 * <p>Not thread-safe: one instance serves one decision on one thread.
 */
final class RequestFacts implements CelVariableResolver {

    private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    final String subscriberId;
    final List<String> subscriberIds;
    final String subscriberAddress;
    final List<String> groups;
    final String tier;
    final String originHost;
    final String originRealm;
    final String application;
    final long flowCount;
    final List<String> classes;
    final ZonedDateTime time;

    private long component;
    private long number;
    private String media = "";
    private String flowClass = "";
    private long ulBps;
    private long dlBps;
    private boolean defaulted;
    private long latencyMs;
    private long jitterMs;
    private double lossPercent;
    private String security = "";
    private boolean modified;
    private List<String> modifications = List.of();
    private String peer = "";

    RequestFacts(RxRequest request, List<FlowRequirement> flows, String address, List<String> groups, String tier, ZoneId zone) {
        List<String> ids = new ArrayList<>();
        for (SubscriptionId s : request.subscriptionIds()) {
            ids.add(s.data());
        }
        this.subscriberIds = List.copyOf(ids);
        this.subscriberId = ids.isEmpty() ? "" : ids.getFirst();
        this.subscriberAddress = address == null ? "" : address;
        this.groups = List.copyOf(groups);
        this.tier = tier == null ? "" : tier;
        this.originHost = request.originHost();
        this.originRealm = request.originRealm() == null ? "" : request.originRealm();
        this.application = request.afApplicationIdentifier() == null ? "" : request.afApplicationIdentifier();
        this.flowCount = flows.size();
        Set<String> cls = new LinkedHashSet<>();
        for (FlowRequirement f : flows) {
            if (f.sessionClass() != null) {
                cls.add(f.sessionClass());
            }
        }
        this.classes = List.copyOf(cls);
        this.time = request.receivedAt().atZone(zone);
    }

    /** Points the flow-level variables at one flow, with its bandwidths after media defaults. */
    void flow(FlowRequirement f, long ul, long dl, boolean defaulted) {
        this.component = f.key().mediaComponent();
        this.number = f.key().flow();
        this.media = f.mediaType() == null ? "" : f.mediaType().name().toLowerCase(Locale.ROOT);
        this.flowClass = f.sessionClass() == null ? "" : f.sessionClass();
        this.ulBps = ul;
        this.dlBps = dl;
        this.defaulted = defaulted;
        this.latencyMs = first(f.downlink().maxLatencyMs(), f.uplink().maxLatencyMs());
        this.jitterMs = first(f.downlink().maxJitterMs(), f.uplink().maxJitterMs());
        Double loss = f.downlink().maxLossPercent() != null ? f.downlink().maxLossPercent() : f.uplink().maxLossPercent();
        this.lossPercent = loss == null ? 0.0 : loss;
        this.security = f.downlink().security() != null ? f.downlink().security().token()
                : f.uplink().security() != null ? f.uplink().security().token() : "";
        this.modified = f.modified();
        List<String> mods = new ArrayList<>(f.modifications().size());
        for (Modification m : f.modifications()) {
            mods.add(m.name());
        }
        this.modifications = mods;
        this.peer = f.peerAddress() == null ? "" : f.peerAddress();
    }

    /** The flow's requested latency bound in ms, or {@code null}. */
    Integer requestedLatency() {
        return latencyMs == 0 ? null : (int) latencyMs;
    }

    String flowClass() {
        return flowClass;
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
        Object v = switch (name) {
            case Conditions.FLOW_COMPONENT -> component;
            case Conditions.FLOW_NUMBER -> number;
            case Conditions.FLOW_MEDIA -> media;
            case Conditions.FLOW_CLASS -> flowClass;
            case Conditions.FLOW_UL_BPS -> ulBps;
            case Conditions.FLOW_DL_BPS -> dlBps;
            case Conditions.FLOW_DEFAULTED -> defaulted;
            case Conditions.FLOW_LATENCY_MS -> latencyMs;
            case Conditions.FLOW_JITTER_MS -> jitterMs;
            case Conditions.FLOW_LOSS_PERCENT -> lossPercent;
            case Conditions.FLOW_SECURITY -> security;
            case Conditions.FLOW_MODIFIED -> modified;
            case Conditions.FLOW_MODIFICATIONS -> modifications;
            case Conditions.FLOW_PEER -> peer;
            case Conditions.SUBSCRIBER_ID -> subscriberId;
            case Conditions.SUBSCRIBER_IDS -> subscriberIds;
            case Conditions.SUBSCRIBER_ADDRESS -> subscriberAddress;
            case Conditions.SUBSCRIBER_GROUPS -> groups;
            case Conditions.SUBSCRIBER_TIER -> tier;
            case Conditions.SUBSCRIBER_KNOWN -> known();
            case Conditions.ORIGIN_HOST -> originHost;
            case Conditions.ORIGIN_REALM -> originRealm;
            case Conditions.REQUEST_APPLICATION -> application;
            case Conditions.REQUEST_FLOWS -> flowCount;
            case Conditions.REQUEST_CLASSES -> classes;
            case Conditions.TIME_HOUR -> (long) time.getHour();
            case Conditions.TIME_MINUTE -> (long) time.getMinute();
            case Conditions.TIME_WEEKDAY -> (long) time.getDayOfWeek().getValue();
            case Conditions.TIME_DAY -> DAYS[time.getDayOfWeek().getValue() - 1];
            default -> null;
        };
        return Optional.ofNullable(v);
    }
}
