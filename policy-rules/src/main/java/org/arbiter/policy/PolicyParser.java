package org.arbiter.policy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.ResultCode;
import org.arbiter.policy.PolicySet.Action;
import org.arbiter.policy.PolicySet.Constraints;
import org.arbiter.policy.PolicySet.Defer;
import org.arbiter.policy.PolicySet.Grant;
import org.arbiter.policy.PolicySet.Group;
import org.arbiter.policy.PolicySet.Limits;
import org.arbiter.policy.PolicySet.Reject;
import org.arbiter.policy.PolicySet.Rule;
import org.arbiter.policy.PolicySet.SessionClass;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns the YAML files of a policy directory into a {@link PolicySet}, or into the complete list
 * of what is wrong with them. Nothing partial ever comes out: a set with any error is not built.
 *
 * <p>Two passes: the first reads every file (settings, media defaults, classes, groups, and the
 * raw rules and default), the second compiles the rules and the default against the names the
 * whole set defines, so a rule may use a class from another file. The format is documented in
 * docs/policy.md; the key lists here are its schema.
 */
final class PolicyParser {

    static final List<String> TOP_KEYS = List.of("settings", "media_defaults", "classes", "groups", "rules", "default");
    static final List<String> SETTINGS_KEYS = List.of("time_zone");
    static final List<String> CLASS_KEYS = List.of("description", "max_latency_ms", "uplink", "downlink", "dscp", "qci",
            "priority", "preemption_capable", "preemption_vulnerable");
    static final List<String> LIMIT_KEYS = List.of("guaranteed", "maximum");
    static final List<String> DIRECTION_KEYS = List.of("uplink", "downlink");
    static final List<String> GROUP_KEYS = List.of("description", "tier", "subscription_ids", "addresses");
    static final List<String> RULE_KEYS = List.of("id", "description", "when", "grant", "reject", "defer");
    static final List<String> GRANT_KEYS = List.of("class", "cap", "max_latency_ms", "enforce", "reason");
    static final List<String> REJECT_KEYS = List.of("code", "reason");
    static final List<String> DEFER_KEYS = List.of("cap", "max_latency_ms", "enforce", "note");
    static final List<String> DEFAULT_KEYS = List.of("grant", "reject", "unknown_subscribers");
    static final List<String> DECIDING_KEYS = List.of("grant", "reject");
    static final List<String> ACTION_KEYS = List.of("grant", "reject", "defer");

    /** Class names, group names, tiers and rule ids: they appear in traces, audit rows and CDRs. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final String NAME_RULE = "letters, digits, '.', '_' or '-', starting with a letter or digit";
    private static final Set<String> RESERVED_IDS = Set.of(PolicySet.DEFAULT, PolicySet.DEFAULT_UNKNOWN, PolicySet.NO_FLOWS);
    private static final int MAX_LATENCY_MS = 100_000;

    /**
     * The outcome of a load: a set, or the errors (never both).
     *
     * @param set the policy set, or {@code null} when there are errors
     * @param errors every error found, in file order
     */
    record Result(PolicySet set, List<PolicyError> errors) {
        Result {
            errors = errors.stream().sorted(Comparator.comparing(PolicyError::file).thenComparingInt(PolicyError::line)
                    .thenComparingInt(PolicyError::column)).toList();
        }

        boolean ok() {
            return set != null;
        }
    }

    private record PendingRule(YamlTree tree, Node node, int index) {}

    private record PendingDefault(YamlTree tree, Node node) {}

    private final Path dir;
    private final List<PolicyError> errors = new ArrayList<>();
    private ZoneId zone;
    private String settingsAt;
    private final Map<MediaType, long[]> mediaDefaults = new EnumMap<>(MediaType.class);
    private final Map<MediaType, String> mediaAt = new EnumMap<>(MediaType.class);
    private final Map<String, SessionClass> classes = new LinkedHashMap<>();
    private final Map<String, String> classAt = new LinkedHashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, String> groupAt = new LinkedHashMap<>();
    private final Set<String> tiers = new LinkedHashSet<>();
    private final List<PendingRule> pendingRules = new ArrayList<>();
    private PendingDefault pendingDefault;
    private String defaultAt;

    private PolicyParser(Path dir) {
        this.dir = dir;
    }

    /** Reads and parses every {@code *.yaml} and {@code *.yml} file directly in the directory. */
    static Result load(Path dir, Instant loadedAt) {
        List<PolicyError> errors = new ArrayList<>();
        SortedMap<String, String> files = read(dir, errors);
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return parse(dir, files, loadedAt);
    }

    /**
     * Parses policy files given as text. Errors name the file as {@code dir/name}, or as
     * {@code name} when {@code dir} is {@code null}.
     *
     * @param files file name to content; the names' order is the rules' order
     */
    static Result parse(Path dir, SortedMap<String, String> files, Instant loadedAt) {
        PolicyParser p = new PolicyParser(dir);
        if (files.isEmpty()) {
            p.errors.add(new PolicyError(String.valueOf(dir), 1, 1, "no policy files (*.yaml, *.yml) in the directory"));
            return new Result(null, p.errors);
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            p.readFile(new YamlTree(p.display(f.getKey()), p.errors), f.getValue());
        }
        List<Rule> rules = p.compileRules();
        Action[] defaults = p.compileDefault(files.firstKey());
        if (!p.errors.isEmpty()) {
            return new Result(null, p.errors);
        }
        PolicySet set = new PolicySet(hash(files), loadedAt, new ArrayList<>(files.keySet()),
                p.zone == null ? ZoneOffset.UTC : p.zone, p.classes, new ArrayList<>(p.groups.values()), p.mediaDefaults,
                rules, defaults[0], defaults[1]);
        return new Result(set, List.of());
    }

    /** The policy files of a directory by name, decoded as UTF-8; problems go to {@code errors}. */
    static SortedMap<String, String> read(Path dir, List<PolicyError> errors) {
        SortedMap<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            errors.add(new PolicyError(dir.toString(), 1, 1, Files.exists(dir)
                    ? "not a directory; give the directory that holds the policy files"
                    : "no such directory"));
            return out;
        }
        List<Path> paths;
        try (Stream<Path> s = Files.list(dir)) {
            paths = s.filter(PolicyParser::isPolicyFile).sorted().toList();
        } catch (IOException e) {
            errors.add(new PolicyError(dir.toString(), 1, 1, "cannot list the directory: " + e.getMessage()));
            return out;
        }
        if (paths.isEmpty()) {
            errors.add(new PolicyError(dir.toString(), 1, 1, "no policy files (*.yaml, *.yml) in the directory"));
        }
        for (Path p : paths) {
            try {
                long size = Files.size(p);
                if (size > YamlTree.MAX_CODE_POINTS) {
                    errors.add(new PolicyError(p.toString(), 1, 1, "the file has " + size + " bytes; a policy file may have at most "
                            + YamlTree.MAX_CODE_POINTS));
                    continue;
                }
                byte[] bytes = Files.readAllBytes(p);
                out.put(p.getFileName().toString(), StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString());
            } catch (CharacterCodingException e) {
                errors.add(new PolicyError(p.toString(), 1, 1, "not UTF-8 text; save the file as UTF-8"));
            } catch (IOException e) {
                errors.add(new PolicyError(p.toString(), 1, 1, "cannot read the file: " + e));
            }
        }
        return out;
    }

    static boolean isPolicyFile(Path p) {
        String n = p.getFileName().toString();
        return !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml")) && Files.isRegularFile(p);
    }

    /** First 12 hex digits of SHA-256 over the sorted file names and contents. */
    static String hash(SortedMap<String, String> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> f : files.entrySet()) {
                md.update(f.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(f.getValue().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private String display(String name) {
        return dir == null ? name : dir.resolve(name).toString();
    }

    private static String at(YamlTree t, Node n) {
        return t.file() + ":" + (n.getStartMark().getLine() + 1);
    }

    // ---- first pass: one file ----

    private void readFile(YamlTree t, String text) {
        Node root = t.compose(text);
        if (root == null) {
            return;
        }
        if (root instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
            return;
        }
        MappingNode top = t.mapping(root, "the file");
        if (top == null) {
            return;
        }
        Map<String, NodeTuple> sections = t.entries(top, "top level", TOP_KEYS, List.of());
        for (Map.Entry<String, NodeTuple> e : sections.entrySet()) {
            Node v = e.getValue().getValueNode();
            Node k = e.getValue().getKeyNode();
            switch (e.getKey()) {
                case "settings" -> settings(t, k, v);
                case "media_defaults" -> mediaDefaults(t, v);
                case "classes" -> classes(t, v);
                case "groups" -> groups(t, v);
                case "rules" -> {
                    SequenceNode seq = t.sequence(v, "rules");
                    if (seq != null) {
                        for (int i = 0; i < seq.getValue().size(); i++) {
                            pendingRules.add(new PendingRule(t, seq.getValue().get(i), i));
                        }
                    }
                }
                case "default" -> {
                    if (pendingDefault != null) {
                        t.error(k, "default: defined a second time (first at " + defaultAt + "); a policy has one default");
                    } else {
                        pendingDefault = new PendingDefault(t, v);
                        defaultAt = at(t, k);
                    }
                }
                default -> throw new IllegalStateException("unhandled section " + e.getKey());
            }
        }
    }

    private void settings(YamlTree t, Node key, Node v) {
        if (settingsAt != null) {
            t.error(key, "settings: defined a second time (first at " + settingsAt + "); a policy has one settings section");
            return;
        }
        settingsAt = at(t, key);
        MappingNode m = t.mapping(v, "settings");
        if (m == null) {
            return;
        }
        NodeTuple tz = t.entries(m, "settings", SETTINGS_KEYS, List.of()).get("time_zone");
        if (tz != null) {
            String id = t.name(tz.getValueNode(), "settings.time_zone");
            if (id != null) {
                try {
                    zone = ZoneId.of(id);
                } catch (DateTimeException e) {
                    t.error(tz.getValueNode(), "settings.time_zone: '" + id
                            + "' is not a time zone; use a region id such as Europe/Berlin, or UTC");
                }
            }
        }
    }

    private void mediaDefaults(YamlTree t, Node v) {
        MappingNode m = t.mapping(v, "media_defaults");
        if (m == null) {
            return;
        }
        List<String> media = Arrays.stream(MediaType.values()).map(PolicyParser::mediaName).toList();
        for (Map.Entry<String, NodeTuple> e : t.entries(m, "media_defaults", media, List.of()).entrySet()) {
            MediaType type = MediaType.valueOf(e.getKey().toUpperCase(Locale.ROOT));
            String path = "media_defaults." + e.getKey();
            Node k = e.getValue().getKeyNode();
            if (mediaAt.containsKey(type)) {
                t.error(k, path + ": defined a second time (first at " + mediaAt.get(type) + ")");
                continue;
            }
            MappingNode body = t.mapping(e.getValue().getValueNode(), path);
            if (body == null) {
                continue;
            }
            Map<String, NodeTuple> dirs = t.entries(body, path, DIRECTION_KEYS, List.of());
            Long ul = dirs.containsKey("uplink") ? t.bandwidth(dirs.get("uplink").getValueNode(), path + ".uplink") : Long.valueOf(0);
            Long dl = dirs.containsKey("downlink") ? t.bandwidth(dirs.get("downlink").getValueNode(), path + ".downlink") : Long.valueOf(0);
            if (dirs.isEmpty()) {
                t.error(body, path + ": give uplink, downlink or both");
            }
            if (ul != null && dl != null && !dirs.isEmpty()) {
                mediaDefaults.put(type, new long[] {ul, dl});
                mediaAt.put(type, at(t, k));
            }
        }
    }

    private void classes(YamlTree t, Node v) {
        MappingNode m = t.mapping(v, "classes");
        if (m == null) {
            return;
        }
        for (Map.Entry<String, NodeTuple> e : t.entries(m, "classes", null, List.of()).entrySet()) {
            String name = e.getKey();
            Node k = e.getValue().getKeyNode();
            String path = "classes." + name;
            if (!validName(t, k, name, "class name")) {
                continue;
            }
            if (classAt.containsKey(name)) {
                t.error(k, path + ": class defined a second time (first at " + classAt.get(name) + ")");
                continue;
            }
            // declared even when its body is wrong, so that rules naming it report only their own mistakes
            classAt.put(name, at(t, k));
            int before = errors.size();
            SessionClass c = sessionClass(t, name, e.getValue().getValueNode(), path);
            if (c != null && errors.size() == before) {
                classes.put(name, c);
            }
        }
    }

    private SessionClass sessionClass(YamlTree t, String name, Node v, String path) {
        MappingNode m = t.mapping(v, path);
        if (m == null) {
            return null;
        }
        Map<String, NodeTuple> e = t.entries(m, path, CLASS_KEYS, List.of("dscp", "priority"));
        String description = e.containsKey("description") ? t.string(value(e, "description"), path + ".description") : null;
        Long latency = e.containsKey("max_latency_ms")
                ? t.integer(value(e, "max_latency_ms"), path + ".max_latency_ms", 1, MAX_LATENCY_MS) : null;
        Limits ul = e.containsKey("uplink") ? limits(t, value(e, "uplink"), path + ".uplink") : Limits.NONE;
        Limits dl = e.containsKey("downlink") ? limits(t, value(e, "downlink"), path + ".downlink") : Limits.NONE;
        Integer dscp = e.containsKey("dscp") ? dscp(t, value(e, "dscp"), path + ".dscp") : null;
        Long qci = e.containsKey("qci") ? t.integer(value(e, "qci"), path + ".qci", 1, 254) : null;
        Long priority = e.containsKey("priority") ? t.integer(value(e, "priority"), path + ".priority", 1, 15) : null;
        Boolean capable = e.containsKey("preemption_capable")
                ? t.bool(value(e, "preemption_capable"), path + ".preemption_capable") : Boolean.FALSE;
        Boolean vulnerable = e.containsKey("preemption_vulnerable")
                ? t.bool(value(e, "preemption_vulnerable"), path + ".preemption_vulnerable") : Boolean.TRUE;
        if (ul == null || dl == null || dscp == null || priority == null || capable == null || vulnerable == null) {
            return null;
        }
        return new SessionClass(name, description, latency == null ? null : latency.intValue(), ul, dl, dscp,
                qci == null ? null : qci.intValue(), priority.intValue(), capable, vulnerable);
    }

    private static Node value(Map<String, NodeTuple> e, String key) {
        return e.get(key).getValueNode();
    }

    private static Limits limits(YamlTree t, Node v, String path) {
        MappingNode m = t.mapping(v, path);
        if (m == null) {
            return null;
        }
        Map<String, NodeTuple> e = t.entries(m, path, LIMIT_KEYS, List.of());
        Long g = e.containsKey("guaranteed") ? t.bandwidth(value(e, "guaranteed"), path + ".guaranteed") : Long.valueOf(0);
        Long max = e.containsKey("maximum") ? t.bandwidth(value(e, "maximum"), path + ".maximum") : Long.valueOf(-1);
        if (g == null || max == null) {
            return null;
        }
        if (max >= 0 && g > max) {
            t.error(m, path + ": guaranteed " + Bandwidth.format(g) + " is more than maximum " + Bandwidth.format(max)
                    + "; guaranteed must be at most maximum");
            return null;
        }
        return new Limits(g, max);
    }

    /** DSCP as a number 0..63 or a per-hop behaviour name: EF, AFxy, CSx, BE/DF, VA. */
    static Integer dscp(YamlTree t, Node v, String path) {
        String allowed = "0..63 or a per-hop behaviour name (EF, VA, AF11..AF43, CS0..CS7, BE, DF)";
        if (v instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
            Long n = t.integer(v, path, 0, 63);
            return n == null ? null : n.intValue();
        }
        if (v instanceof ScalarNode s && s.getTag().equals(Tag.STR)) {
            Integer d = dscpName(s.getValue().trim().toUpperCase(Locale.ROOT));
            if (d != null) {
                return d;
            }
        }
        t.error(v, path + ": expected " + allowed + ", got " + YamlTree.describe(v));
        return null;
    }

    private static Integer dscpName(String n) {
        switch (n) {
            case "EF":
                return 46;
            case "VA":
                return 44;
            case "BE", "DF":
                return 0;
            default:
                break;
        }
        if (n.matches("AF[1-4][1-3]")) {
            return 8 * (n.charAt(2) - '0') + 2 * (n.charAt(3) - '0');
        }
        if (n.matches("CS[0-7]")) {
            return 8 * (n.charAt(2) - '0');
        }
        return null;
    }

    private void groups(YamlTree t, Node v) {
        MappingNode m = t.mapping(v, "groups");
        if (m == null) {
            return;
        }
        for (Map.Entry<String, NodeTuple> e : t.entries(m, "groups", null, List.of()).entrySet()) {
            String name = e.getKey();
            Node k = e.getValue().getKeyNode();
            String path = "groups." + name;
            if (!validName(t, k, name, "group name")) {
                continue;
            }
            if (groupAt.containsKey(name)) {
                t.error(k, path + ": group defined a second time (first at " + groupAt.get(name) + ")");
                continue;
            }
            groupAt.put(name, at(t, k));
            int before = errors.size();
            Group g = group(t, name, e.getValue().getValueNode(), path);
            if (g != null && errors.size() == before) {
                groups.put(name, g);
            }
        }
    }

    private Group group(YamlTree t, String name, Node v, String path) {
        MappingNode m = t.mapping(v, path);
        if (m == null) {
            return null;
        }
        Map<String, NodeTuple> e = t.entries(m, path, GROUP_KEYS, List.of());
        if (e.containsKey("description")) {
            t.string(value(e, "description"), path + ".description");
        }
        String tier = null;
        if (e.containsKey("tier")) {
            tier = t.name(value(e, "tier"), path + ".tier");
            if (tier != null && !validName(t, value(e, "tier"), tier, path + ".tier")) {
                tier = null;
            }
            if (tier != null) {
                tiers.add(tier);
            }
        }
        List<PolicySet.Glob> ids = new ArrayList<>();
        if (e.containsKey("subscription_ids")) {
            SequenceNode seq = t.sequence(value(e, "subscription_ids"), path + ".subscription_ids");
            for (int i = 0; seq != null && i < seq.getValue().size(); i++) {
                String glob = t.name(seq.getValue().get(i), path + ".subscription_ids[" + i + "]");
                if (glob != null) {
                    ids.add(new PolicySet.Glob(glob));
                }
            }
        }
        List<IpPrefix> addresses = new ArrayList<>();
        if (e.containsKey("addresses")) {
            SequenceNode seq = t.sequence(value(e, "addresses"), path + ".addresses");
            for (int i = 0; seq != null && i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                String text = t.name(item, path + ".addresses[" + i + "]");
                if (text == null) {
                    continue;
                }
                try {
                    addresses.add(IpPrefix.parse(text));
                } catch (IllegalArgumentException ex) {
                    t.error(item, path + ".addresses[" + i + "]: " + ex.getMessage()
                            + "; expected an IPv4 or IPv6 address or prefix such as 10.1.0.0/16 or 2001:db8::/32");
                }
            }
        }
        if (!e.containsKey("subscription_ids") && !e.containsKey("addresses")) {
            t.error(m, path + ": a group needs subscription_ids, addresses or both");
            return null;
        }
        return new Group(name, tier, ids, addresses);
    }

    private static boolean validName(YamlTree t, Node at, String name, String what) {
        if (NAME.matcher(name).matches()) {
            return true;
        }
        t.error(at, what + " '" + name + "' is not allowed; use " + NAME_RULE);
        return false;
    }

    // ---- second pass: rules and default, against the names of the whole set ----

    private Conditions.Names names() {
        Set<String> media = new LinkedHashSet<>();
        for (MediaType m : MediaType.values()) {
            media.add(mediaName(m));
        }
        return new Conditions.Names(classAt.keySet(), groupAt.keySet(), tiers, media);
    }

    static String mediaName(MediaType m) {
        return m.name().toLowerCase(Locale.ROOT);
    }

    private List<Rule> compileRules() {
        Conditions.Names names = names();
        List<Rule> rules = new ArrayList<>();
        Map<String, String> idAt = new HashMap<>();
        String catchAll = null;
        for (PendingRule p : pendingRules) {
            YamlTree t = p.tree();
            String path = "rules[" + p.index() + "]";
            MappingNode m = t.mapping(p.node(), path);
            if (m == null) {
                continue;
            }
            int before = errors.size();
            Map<String, NodeTuple> e = t.entries(m, path, RULE_KEYS, List.of("id"));
            String id = e.containsKey("id") ? t.name(value(e, "id"), path + ".id") : null;
            Node anchor = e.containsKey("id") ? value(e, "id") : m;
            if (id != null && validName(t, anchor, id, path + ".id")) {
                path = "rule '" + id + "'";
                if (RESERVED_IDS.contains(id)) {
                    t.error(anchor, path + ": the id '" + id + "' is reserved; reserved: " + String.join(", ", new TreeSet<>(RESERVED_IDS)));
                } else if (idAt.containsKey(id)) {
                    t.error(anchor, path + ": duplicate rule id (first at " + idAt.get(id) + "); rule ids must be unique");
                } else {
                    idAt.put(id, at(t, anchor));
                }
            }
            String description = e.containsKey("description") ? t.string(value(e, "description"), path + ".description") : null;
            String condition = null;
            Conditions.Compiled compiled = null;
            if (e.containsKey("when")) {
                Node w = value(e, "when");
                condition = conditionText(t, w, path + ".when");
                if (condition != null) {
                    compiled = Conditions.compile(condition, names);
                    for (Conditions.Issue i : compiled.issues()) {
                        celError(t, (ScalarNode) w, i, path + ".when");
                    }
                    if (Boolean.FALSE.equals(compiled.constant())) {
                        t.error(w, path + ".when: the condition is always false, so the rule never matches; remove the rule");
                    }
                }
            }
            List<String> kinds = ACTION_KEYS.stream().filter(e::containsKey).toList();
            Action action = null;
            if (kinds.size() != 1) {
                t.error(m, path + ": a rule needs exactly one action, grant, reject or defer; "
                        + (kinds.isEmpty() ? "it has none" : "it has " + String.join(" and ", kinds)));
            } else {
                String source = "rule " + (id == null ? "?" : id);
                action = action(t, kinds.getFirst(), value(e, kinds.getFirst()), path + "." + kinds.getFirst(), source);
            }
            boolean unconditional = !e.containsKey("when") || compiled != null && Boolean.TRUE.equals(compiled.constant());
            if (catchAll != null && id != null) {
                t.error(anchor, path + " is unreachable: " + catchAll + " before it has no condition and decides every flow");
            }
            if (unconditional && kinds.size() == 1 && !kinds.getFirst().equals("defer") && catchAll == null && id != null) {
                catchAll = "rule '" + id + "' (" + at(t, anchor) + ")";
            }
            if (errors.size() == before && action != null && id != null) {
                rules.add(new Rule(id, description, at(t, anchor), condition, unconditional ? null : compiled.condition(), action));
            }
        }
        return rules;
    }

    private static String conditionText(YamlTree t, Node w, String path) {
        if (w instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            return s.getValue().toLowerCase(Locale.ROOT).matches("true|yes|on|y") ? "true" : "false";
        }
        String text = t.string(w, path);
        if (text != null && text.isBlank()) {
            t.error(w, path + ": the condition is empty; leave 'when' out for a rule that always matches");
            return null;
        }
        return text;
    }

    /** Places a CEL issue in the YAML file: exact for plain, quoted and literal (|) scalars, near for folded ones. */
    private static void celError(YamlTree t, ScalarNode n, Conditions.Issue i, String path) {
        Mark m = n.getStartMark();
        int line;
        int column;
        DumperOptions.ScalarStyle style = n.getScalarStyle();
        if (style == DumperOptions.ScalarStyle.LITERAL || style == DumperOptions.ScalarStyle.FOLDED) {
            // the block's indentation is that of its first non-empty line; deeper lines keep their extra spaces
            int first = m.getLine() + 1;
            while (t.line(first).isBlank() && first < m.getLine() + i.line()) {
                first++;
            }
            String raw = t.line(first);
            int indent = 0;
            while (indent < raw.length() && raw.charAt(indent) == ' ') {
                indent++;
            }
            line = m.getLine() + i.line() + 1;
            column = indent + i.column() + 1;
        } else {
            int quote = style == DumperOptions.ScalarStyle.PLAIN ? 0 : 1;
            line = m.getLine() + 1;
            column = m.getColumn() + quote + i.column() + 1;
        }
        t.add(line, column, path + ": " + i.message());
    }

    private Action action(YamlTree t, String kind, Node v, String path, String source) {
        return switch (kind) {
            case "grant" -> grant(t, v, path, source);
            case "reject" -> reject(t, v, path);
            case "defer" -> defer(t, v, path, source);
            default -> throw new IllegalStateException("unhandled action " + kind);
        };
    }

    private Grant grant(YamlTree t, Node v, String path, String source) {
        MappingNode m = t.mapping(v, path);
        if (m == null) {
            return null;
        }
        Map<String, NodeTuple> e = t.entries(m, path, GRANT_KEYS, List.of("class"));
        String cls = e.containsKey("class") ? t.name(value(e, "class"), path + ".class") : null;
        if (cls != null && !classAt.containsKey(cls)) {
            t.error(value(e, "class"), path + ".class: unknown class '" + cls + "'; "
                    + (classAt.isEmpty() ? "no class is defined" : "defined classes: " + String.join(", ", new TreeSet<>(classAt.keySet()))));
            cls = null;
        }
        Constraints c = constraints(t, e, path, source);
        String reason = e.containsKey("reason") ? t.name(value(e, "reason"), path + ".reason") : null;
        return cls == null || c == null ? null : new Grant(cls, c, reason);
    }

    private Defer defer(YamlTree t, Node v, String path, String source) {
        if (v instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
            return new Defer(Constraints.NONE, null);
        }
        MappingNode m = t.mapping(v, path);
        if (m == null) {
            return null;
        }
        Map<String, NodeTuple> e = t.entries(m, path, DEFER_KEYS, List.of());
        Constraints c = constraints(t, e, path, source);
        String note = e.containsKey("note") ? t.name(value(e, "note"), path + ".note") : null;
        return c == null ? null : new Defer(c, note);
    }

    private static Constraints constraints(YamlTree t, Map<String, NodeTuple> e, String path, String source) {
        long capUl = -1;
        long capDl = -1;
        boolean ok = true;
        if (e.containsKey("cap")) {
            MappingNode cap = t.mapping(value(e, "cap"), path + ".cap");
            if (cap == null) {
                ok = false;
            } else {
                Map<String, NodeTuple> dirs = t.entries(cap, path + ".cap", DIRECTION_KEYS, List.of());
                if (dirs.isEmpty()) {
                    t.error(cap, path + ".cap: give uplink, downlink or both");
                    ok = false;
                }
                if (dirs.containsKey("uplink")) {
                    Long b = t.bandwidth(value(dirs, "uplink"), path + ".cap.uplink");
                    ok &= b != null;
                    capUl = b == null ? -1 : b;
                }
                if (dirs.containsKey("downlink")) {
                    Long b = t.bandwidth(value(dirs, "downlink"), path + ".cap.downlink");
                    ok &= b != null;
                    capDl = b == null ? -1 : b;
                }
            }
        }
        Long latency = null;
        if (e.containsKey("max_latency_ms")) {
            latency = t.integer(value(e, "max_latency_ms"), path + ".max_latency_ms", 1, MAX_LATENCY_MS);
            ok &= latency != null;
        }
        Boolean enforce = Boolean.TRUE;
        if (e.containsKey("enforce")) {
            enforce = t.bool(value(e, "enforce"), path + ".enforce");
            ok &= enforce != null;
        }
        if (!ok) {
            return null;
        }
        return new Constraints(capUl, source, capDl, source, latency == null ? null : latency.intValue(),
                source, enforce, source);
    }

    private static Reject reject(YamlTree t, Node v, String path) {
        MappingNode m = t.mapping(v, path);
        if (m == null) {
            return null;
        }
        Map<String, NodeTuple> e = t.entries(m, path, REJECT_KEYS, List.of("code", "reason"));
        ResultCode code = e.containsKey("code") ? code(t, value(e, "code"), path + ".code") : null;
        String reason = e.containsKey("reason") ? t.name(value(e, "reason"), path + ".reason") : null;
        return code == null || reason == null ? null : new Reject(code, reason);
    }

    private static ResultCode code(YamlTree t, Node v, String path) {
        List<String> allowed = Arrays.stream(ResultCode.values()).filter(c -> !c.success()).map(Enum::name).toList();
        if (v instanceof ScalarNode s) {
            String text = s.getValue().trim();
            for (ResultCode c : ResultCode.values()) {
                if (!c.success() && (c.name().equals(text) || Integer.toString(c.code()).equals(text))) {
                    return c;
                }
            }
        }
        t.error(v, path + ": expected an Rx result code, got " + YamlTree.describe(v) + "; allowed: "
                + String.join(", ", allowed) + " (or their numbers, such as 5063)");
        return null;
    }

    private Action[] compileDefault(String firstFile) {
        Action[] out = new Action[2];
        if (pendingDefault == null) {
            errors.add(new PolicyError(display(firstFile), 1, 1, "no 'default' section in any policy file; a policy needs one to say what "
                    + "flows no rule decides (and unknown subscribers) get, e.g. default: {grant: {class: best-effort}}"));
            return out;
        }
        YamlTree t = pendingDefault.tree();
        MappingNode m = t.mapping(pendingDefault.node(), "default");
        if (m == null) {
            return out;
        }
        Map<String, NodeTuple> e = t.entries(m, "default", DEFAULT_KEYS, List.of());
        out[0] = deciding(t, m, e, "default", PolicySet.DEFAULT);
        if (e.containsKey("unknown_subscribers")) {
            String path = "default.unknown_subscribers";
            MappingNode u = t.mapping(value(e, "unknown_subscribers"), path);
            if (u != null) {
                out[1] = deciding(t, u, t.entries(u, path, DECIDING_KEYS, List.of()), path, PolicySet.DEFAULT_UNKNOWN);
            }
        }
        return out;
    }

    private Action deciding(YamlTree t, MappingNode m, Map<String, NodeTuple> e, String path, String source) {
        List<String> kinds = DECIDING_KEYS.stream().filter(e::containsKey).toList();
        if (kinds.size() != 1) {
            t.error(m, path + ": needs exactly one of grant or reject; " + (kinds.isEmpty() ? "it has none" : "it has both"));
            return null;
        }
        String kind = kinds.getFirst();
        return kind.equals("grant") ? grant(t, value(e, kind), path + ".grant", source) : reject(t, value(e, kind), path + ".reject");
    }
}
