package org.arbiter.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.arbiter.core.policy.PolicyRequest;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.qos.Modification;
import org.arbiter.core.qos.QosRequirement;
import org.arbiter.core.qos.RequirementExtractor;
import org.arbiter.core.qos.Security;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SubscriptionId;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads the request file of {@code arbiter policy test}: a request in JSON (or the same structure
 * in YAML), given either as per-flow requirements or as offer/answer SDP per media component,
 * which goes through core's {@link RequirementExtractor} exactly as an AAR's Codec-Data does.
 * The shape is documented in docs/policy.md; problems are reported like policy errors, with line
 * and column.
 */
final class TestRequest {

    static final List<String> TOP_KEYS = List.of("session_id", "origin_host", "origin_realm", "application", "time",
            "subscriber", "flows", "components");
    static final List<String> SUBSCRIBER_KEYS = List.of("ids", "address");
    static final List<String> FLOW_KEYS = List.of("component", "flow", "media", "class", "uplink", "downlink", "latency_ms",
            "jitter_ms", "loss_percent", "security", "peer", "modifications");
    static final List<String> COMPONENT_KEYS = List.of("number", "flow", "media", "offer", "answer", "offer_sdp", "answer_sdp",
            "offerer", "peer", "max_requested_bandwidth");

    private TestRequest() {}

    /**
     * The outcome of reading a request file.
     *
     * @param request the request, or {@code null} when there are errors
     * @param errors what is wrong with the file
     */
    record Parsed(PolicyRequest request, List<PolicyError> errors) {}

    static Parsed read(Path file) {
        List<PolicyError> errors = new ArrayList<>();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            errors.add(new PolicyError(file.toString(), 1, 1, "cannot read the request file: " + e));
            return new Parsed(null, errors);
        }
        if (text.stripLeading().startsWith("{")) {
            // JSON allows tabs between tokens, YAML does not; a raw tab cannot occur inside a JSON string
            text = text.replace('\t', ' ');
        }
        YamlTree t = new YamlTree(file.toString(), errors);
        Node root = t.compose(text);
        PolicyRequest r = root == null ? null : request(t, root, file.toAbsolutePath().getParent());
        if (root == null && errors.isEmpty()) {
            t.add(1, 1, "the request file is empty");
        }
        return new Parsed(errors.isEmpty() ? r : null, errors);
    }

    private static PolicyRequest request(YamlTree t, Node root, Path base) {
        MappingNode m = t.mapping(root, "request");
        if (m == null) {
            return null;
        }
        Map<String, NodeTuple> e = t.entries(m, "request", TOP_KEYS, List.of("subscriber"));
        String session = optional(t, e, "session_id", "policy-test;1");
        String host = optional(t, e, "origin_host", "policy-test.invalid");
        String realm = optional(t, e, "origin_realm", null);
        String application = optional(t, e, "application", null);
        Instant time = Instant.now();
        if (e.containsKey("time")) {
            Node n = e.get("time").getValueNode();
            String s = n instanceof ScalarNode sc && !sc.getTag().equals(Tag.NULL) ? sc.getValue() : null;
            try {
                time = Instant.parse(s == null ? "" : s);
            } catch (DateTimeParseException ex) {
                t.error(n, "time: expected an ISO-8601 instant such as 2026-11-27T21:30:00Z, got " + YamlTree.describe(n));
            }
        }
        List<SubscriptionId> ids = new ArrayList<>();
        String address = null;
        if (e.containsKey("subscriber")) {
            MappingNode s = t.mapping(e.get("subscriber").getValueNode(), "subscriber");
            if (s != null) {
                Map<String, NodeTuple> se = t.entries(s, "subscriber", SUBSCRIBER_KEYS, List.of());
                if (se.containsKey("ids")) {
                    List<String> list = t.names(se.get("ids").getValueNode(), "subscriber.ids");
                    if (list != null) {
                        list.forEach(id -> ids.add(new SubscriptionId(idType(id), id)));
                    }
                }
                address = optional(t, se, "address", null);
            }
        }
        boolean hasFlows = e.containsKey("flows");
        boolean hasComponents = e.containsKey("components");
        if (hasFlows == hasComponents) {
            t.error(m, "request: give either flows (requirements per flow) or components (offer/answer SDP), "
                    + (hasFlows ? "not both" : "one of them"));
            return null;
        }
        List<FlowRequirement> flows = new ArrayList<>();
        List<MediaComponent> components = new ArrayList<>();
        if (hasFlows) {
            SequenceNode seq = t.sequence(e.get("flows").getValueNode(), "flows");
            for (int i = 0; seq != null && i < seq.getValue().size(); i++) {
                FlowRequirement f = flow(t, seq.getValue().get(i), "flows[" + i + "]", address);
                if (f != null) {
                    flows.add(f);
                }
            }
        } else {
            SequenceNode seq = t.sequence(e.get("components").getValueNode(), "components");
            for (int i = 0; seq != null && i < seq.getValue().size(); i++) {
                MediaComponent c = component(t, seq.getValue().get(i), "components[" + i + "]", base, address);
                if (c != null) {
                    components.add(c);
                }
            }
        }
        RxRequest rx = new RxRequest(session, host, realm, ids, address, components, Set.of(), null, application,
                Duration.ofHours(1), time);
        if (hasComponents) {
            RequirementExtractor.Extraction x = RequirementExtractor.extract(rx);
            if (!x.ok()) {
                t.error(e.get("components").getValueNode(), "components: " + x.error());
                return null;
            }
            flows = x.flows();
        }
        return new PolicyRequest(rx, flows);
    }

    private static SubscriptionId.Type idType(String id) {
        String s = id.toLowerCase(Locale.ROOT);
        if (s.startsWith("tel:") || s.matches("\\+?[0-9]+")) {
            return SubscriptionId.Type.END_USER_E164;
        }
        return s.startsWith("sip:") || s.startsWith("sips:") ? SubscriptionId.Type.END_USER_SIP_URI : SubscriptionId.Type.END_USER_NAI;
    }

    private static String optional(YamlTree t, Map<String, NodeTuple> e, String key, String otherwise) {
        return e.containsKey(key) ? t.name(e.get(key).getValueNode(), key) : otherwise;
    }

    private static FlowRequirement flow(YamlTree t, Node n, String path, String address) {
        MappingNode m = t.mapping(n, path);
        if (m == null) {
            return null;
        }
        int before = t.errorCount();
        Map<String, NodeTuple> e = t.entries(m, path, FLOW_KEYS, List.of("component"));
        Long component = e.containsKey("component") ? t.integer(v(e, "component"), path + ".component", 0, Integer.MAX_VALUE) : null;
        Long number = e.containsKey("flow") ? t.integer(v(e, "flow"), path + ".flow", 0, Integer.MAX_VALUE) : Long.valueOf(1);
        MediaType media = e.containsKey("media") ? media(t, v(e, "media"), path + ".media") : null;
        String cls = e.containsKey("class") ? t.name(v(e, "class"), path + ".class") : null;
        Long ul = e.containsKey("uplink") ? t.bandwidth(v(e, "uplink"), path + ".uplink") : Long.valueOf(0);
        Long dl = e.containsKey("downlink") ? t.bandwidth(v(e, "downlink"), path + ".downlink") : Long.valueOf(0);
        Long latency = e.containsKey("latency_ms") ? t.integer(v(e, "latency_ms"), path + ".latency_ms", 1, 100_000) : null;
        Long jitter = e.containsKey("jitter_ms") ? t.integer(v(e, "jitter_ms"), path + ".jitter_ms", 0, 100_000) : null;
        Double loss = e.containsKey("loss_percent") ? percent(t, v(e, "loss_percent"), path + ".loss_percent") : null;
        Security security = null;
        if (e.containsKey("security")) {
            String s = t.name(v(e, "security"), path + ".security");
            security = s == null ? null : Security.fromToken(s);
            if (s != null && security == null) {
                t.error(v(e, "security"), path + ".security: expected none, integrity or confidential, got '" + s + "'");
            }
        }
        String peer = e.containsKey("peer") ? t.name(v(e, "peer"), path + ".peer") : null;
        Set<Modification> mods = EnumSet.noneOf(Modification.class);
        if (e.containsKey("modifications")) {
            List<String> names = t.names(v(e, "modifications"), path + ".modifications");
            for (String name : names == null ? List.<String>of() : names) {
                try {
                    mods.add(Modification.valueOf(name));
                } catch (IllegalArgumentException ex) {
                    t.error(v(e, "modifications"), path + ".modifications: unknown '" + name + "'; allowed: "
                            + String.join(", ", EnumSet.allOf(Modification.class).stream().map(Enum::name).toList()));
                }
            }
        }
        if (t.errorCount() != before || component == null || number == null || ul == null || dl == null) {
            return null;
        }
        Integer lat = latency == null ? null : latency.intValue();
        Integer jit = jitter == null ? null : jitter.intValue();
        QosRequirement up = new QosRequirement(ul, cls, lat, jit, loss, security);
        QosRequirement down = new QosRequirement(dl, cls, lat, jit, loss, security);
        return new FlowRequirement(new FlowKey(component.intValue(), number.intValue()), media, address, peer, up, down, null, null, mods);
    }

    private static MediaComponent component(YamlTree t, Node n, String path, Path base, String address) {
        MappingNode m = t.mapping(n, path);
        if (m == null) {
            return null;
        }
        int before = t.errorCount();
        Map<String, NodeTuple> e = t.entries(m, path, COMPONENT_KEYS, List.of("number"));
        Long number = e.containsKey("number") ? t.integer(v(e, "number"), path + ".number", 0, Integer.MAX_VALUE) : null;
        Long flow = e.containsKey("flow") ? t.integer(v(e, "flow"), path + ".flow", 0, Integer.MAX_VALUE) : Long.valueOf(1);
        MediaType media = e.containsKey("media") ? media(t, v(e, "media"), path + ".media") : null;
        String offer = sdp(t, e, "offer", path, base);
        String answer = sdp(t, e, "answer", path, base);
        if (offer == null && answer == null && t.errorCount() == before) {
            t.error(m, path + ": give the offer SDP, the answer SDP or both (offer/answer: a file next to the request; "
                    + "offer_sdp/answer_sdp: the text)");
        }
        boolean subscriberOffers = true;
        if (e.containsKey("offerer")) {
            String who = t.name(v(e, "offerer"), path + ".offerer");
            if ("peer".equals(who)) {
                subscriberOffers = false;
            } else if (who != null && !who.equals("subscriber")) {
                t.error(v(e, "offerer"), path + ".offerer: expected subscriber or peer, got '" + who + "'");
            }
        }
        String peer = e.containsKey("peer") ? t.name(v(e, "peer"), path + ".peer") : null;
        long ul = -1;
        long dl = -1;
        if (e.containsKey("max_requested_bandwidth")) {
            MappingNode bw = t.mapping(v(e, "max_requested_bandwidth"), path + ".max_requested_bandwidth");
            if (bw != null) {
                Map<String, NodeTuple> d = t.entries(bw, path + ".max_requested_bandwidth", PolicyParser.DIRECTION_KEYS, List.of());
                Long u = d.containsKey("uplink") ? t.bandwidth(v(d, "uplink"), path + ".max_requested_bandwidth.uplink") : Long.valueOf(-1);
                Long w = d.containsKey("downlink") ? t.bandwidth(v(d, "downlink"), path + ".max_requested_bandwidth.downlink") : Long.valueOf(-1);
                ul = u == null ? -1 : u;
                dl = w == null ? -1 : w;
            }
        }
        if (t.errorCount() != before || number == null || flow == null) {
            return null;
        }
        List<String> codecData = new ArrayList<>();
        String offerDir = subscriberOffers ? "uplink" : "downlink";
        String answerDir = subscriberOffers ? "downlink" : "uplink";
        if (offer != null) {
            codecData.add(offerDir + "\noffer\n" + offer);
        }
        if (answer != null) {
            codecData.add(answerDir + "\nanswer\n" + answer);
        }
        List<String> descriptions = address != null && peer != null
                ? List.of("permit out 17 from " + peer + " to " + address, "permit in 17 from " + address + " to " + peer)
                : List.of();
        MediaSubComponent sub = new MediaSubComponent(flow.intValue(), descriptions, null, 0, -1, -1);
        return new MediaComponent(number.intValue(), media, List.of(sub), ul, dl, -1, -1, FlowStatus.ENABLED, codecData);
    }

    private static String sdp(YamlTree t, Map<String, NodeTuple> e, String which, String path, Path base) {
        if (e.containsKey(which) && e.containsKey(which + "_sdp")) {
            t.error(v(e, which + "_sdp"), path + ": give " + which + " (a file) or " + which + "_sdp (the text), not both");
            return null;
        }
        if (e.containsKey(which + "_sdp")) {
            return t.name(v(e, which + "_sdp"), path + "." + which + "_sdp");
        }
        if (!e.containsKey(which)) {
            return null;
        }
        String name = t.name(v(e, which), path + "." + which);
        if (name == null) {
            return null;
        }
        Path file = base == null ? Path.of(name) : base.resolve(name);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            t.error(v(e, which), path + "." + which + ": cannot read the SDP file " + file + ": " + ex);
            return null;
        }
    }

    private static MediaType media(YamlTree t, Node n, String path) {
        String s = t.name(n, path);
        if (s == null) {
            return null;
        }
        for (MediaType m : MediaType.values()) {
            if (PolicyParser.mediaName(m).equals(s)) {
                return m;
            }
        }
        t.error(n, path + ": unknown media type '" + s + "'; allowed: audio, video, data, application, control, text, message, other");
        return null;
    }

    private static Double percent(YamlTree t, Node n, String path) {
        if (n instanceof ScalarNode s && (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT))) {
            try {
                double d = Double.parseDouble(s.getValue());
                if (d >= 0 && d <= 100) {
                    return d;
                }
            } catch (NumberFormatException ex) {
                // reported below
            }
        }
        t.error(n, path + ": expected a percentage 0..100, got " + YamlTree.describe(n));
        return null;
    }

    private static Node v(Map<String, NodeTuple> e, String key) {
        return e.get(key).getValueNode();
    }
}
