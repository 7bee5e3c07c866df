package org.arbiter.ledger;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.Topology;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a topology file (YAML, documented in docs/topology.md) into core's {@link Topology}.
 *
 * <p>Everything is checked before anything is built, and every problem is reported with its
 * {@code file:line:column}: unknown or missing keys, malformed bandwidths and fractions, bad ids,
 * duplicate pools, unknown parents, parent cycles, attachments to unknown pools, prefixes with host
 * bits set and prefixes attached twice. Nested prefixes are allowed: the longest match wins.
 *
 * <p>Stateless and thread-safe.
 */
public final class TopologyFile {

    /** Pool and device ids: letters, digits and {@code . _ - : /}, 1..200 characters. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}");
    private static final Pattern BANDWIDTH = Pattern.compile(
            "(\\d+(?:\\.\\d+)?)\\s*(?:([kmgt])?(?:bit/s|bits/s|bit|bps))?", Pattern.CASE_INSENSITIVE);
    private static final Set<String> TOP_KEYS = Set.of("version", "pools", "attachments");
    private static final Set<String> POOL_KEYS = Set.of("id", "parent", "device", "capacity", "admissible", "description");
    private static final Set<String> CAPACITY_KEYS = Set.of("uplink", "downlink");
    private static final Set<String> ATTACHMENT_KEYS = Set.of("prefix", "pool", "description");
    private static final int MAX_FILE_CHARS = 64 * 1024 * 1024;

    private TopologyFile() {}

    /**
     * Loads and validates a topology file.
     *
     * @throws InvalidTopologyException listing every problem as {@code file:line:column: path: message}
     */
    public static Topology load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidTopologyException(file.toString(), List.of(file + ": cannot read: " + e));
        }
        return parse(file.toString(), new StringReader(text));
    }

    /**
     * Parses topology YAML from a reader.
     *
     * @param name the name used in error locations (usually the file path)
     * @throws InvalidTopologyException listing every problem
     */
    public static Topology parse(String name, Reader yaml) {
        return new Parser(name).parse(yaml);
    }

    /** Thrown when a topology file is unreadable or invalid; {@link #errors()} lists every problem. */
    public static final class InvalidTopologyException extends IllegalArgumentException {
        private final transient List<String> errors;

        InvalidTopologyException(String file, List<String> errors) {
            super("invalid topology " + file + " (" + errors.size() + " problem" + (errors.size() == 1 ? "" : "s")
                    + "):\n  " + String.join("\n  ", errors));
            this.errors = List.copyOf(errors);
        }

        /** Each problem as {@code file:line:column: path: message}. */
        public List<String> errors() {
            return errors;
        }
    }

    /**
     * Parses a bandwidth: a whole number of bit/s ({@code 64000}), or a number with a decimal SI
     * unit ({@code 512kbit}, {@code 4Mbit}, {@code 1.5 Gbit/s}, {@code 10Mbps}; k=10^3, M=10^6,
     * G=10^9, T=10^12, case-insensitive).
     *
     * @return the bit/s, or {@code null} when the text is not a bandwidth
     */
    static Long parseBandwidth(String text) {
        Matcher m = BANDWIDTH.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        BigDecimal v = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        v = v.scaleByPowerOfTen(switch (unit) {
            case "k" -> 3;
            case "m" -> 6;
            case "g" -> 9;
            case "t" -> 12;
            default -> 0;
        });
        try {
            BigInteger whole = v.toBigIntegerExact();
            return whole.bitLength() < 63 ? whole.longValueExact() : null;
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static final class Parser {
        private final String name;
        private final List<Problem> problems = new ArrayList<>();

        private record Problem(int line, int column, String text) {}

        /** A pool as read; {@code spec} is null when some field of it was invalid. */
        private record PoolEntry(String id, String parent, PoolSpec spec, Node node, Node parentNode) {}

        private record AttachmentEntry(Attachment attachment, Node prefixNode, Node poolNode) {}

        Parser(String name) {
            this.name = name;
        }

        Topology parse(Reader reader) {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(50);
            options.setAllowRecursiveKeys(false);
            options.setNestingDepthLimit(20);
            options.setCodePointLimit(MAX_FILE_CHARS);
            Node root;
            try {
                root = new Yaml(options).compose(reader);
            } catch (MarkedYAMLException e) {
                Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                String what = (e.getContext() == null ? "" : e.getContext() + ", ") + e.getProblem();
                throw new InvalidTopologyException(name, List.of(at(m) + ": not valid YAML: " + what));
            } catch (YAMLException e) {
                throw new InvalidTopologyException(name, List.of(name + ": not valid YAML: " + e.getMessage()));
            }
            if (root == null) {
                throw new InvalidTopologyException(name, List.of(name + ": the file is empty; it needs 'pools' and 'attachments'"));
            }
            Map<String, Node> top = mapping(root, "(top level)", TOP_KEYS);
            if (top == null) {
                throw failure();
            }
            Node version = top.get("version");
            if (version != null) {
                String v = scalar(version, "version");
                if (v != null && !v.equals("1")) {
                    error(version, "version", "'" + v + "' is not supported; allowed: 1");
                }
            }
            List<PoolEntry> pools = new ArrayList<>();
            Node poolsNode = top.get("pools");
            if (poolsNode == null) {
                error(root, "pools", "is missing; list the capacity pools");
            } else {
                List<Node> items = sequence(poolsNode, "pools");
                for (int i = 0; items != null && i < items.size(); i++) {
                    PoolEntry p = pool(items.get(i), "pools[" + i + "]");
                    if (p != null) {
                        pools.add(p);
                    }
                }
            }
            List<AttachmentEntry> attachments = new ArrayList<>();
            Node attNode = top.get("attachments");
            if (attNode != null) {
                List<Node> items = sequence(attNode, "attachments");
                for (int i = 0; items != null && i < items.size(); i++) {
                    AttachmentEntry a = attachment(items.get(i), "attachments[" + i + "]");
                    if (a != null) {
                        attachments.add(a);
                    }
                }
            }
            crossCheck(pools, attachments);
            if (!problems.isEmpty()) {
                throw failure();
            }
            try {
                return Topology.of(pools.stream().map(PoolEntry::spec).toList(),
                        attachments.stream().map(AttachmentEntry::attachment).toList());
            } catch (Topology.TopologyException e) {
                throw new InvalidTopologyException(name, e.errors().stream().map(m -> name + ": " + m).toList());
            }
        }

        private PoolEntry pool(Node node, String path) {
            int before = problems.size();
            Map<String, Node> m = mapping(node, path, POOL_KEYS);
            if (m == null) {
                return null;
            }
            String id = requiredId(m, node, path, "id");
            String parent = optionalId(m, path, "parent");
            String device = optionalId(m, path, "device");
            if (m.containsKey("description")) {
                scalar(m.get("description"), path + ".description");
            }
            long[] capacity = capacity(m.get("capacity"), node, path + ".capacity");
            double fraction = 1.0;
            Node adm = m.get("admissible");
            if (adm != null) {
                String text = scalar(adm, path + ".admissible");
                Double f = text == null ? null : fraction(text);
                if (text != null && f == null) {
                    error(adm, path + ".admissible", "'" + text + "' is not a fraction; use a number in (0, 10] "
                            + "such as 0.8 or 80% (above 1 means oversubscription)");
                } else if (f != null) {
                    fraction = f;
                }
            }
            if (id == null) {
                return null;
            }
            PoolSpec spec = capacity == null || problems.size() > before ? null
                    : new PoolSpec(id, parent, capacity[0], capacity[1], fraction, device);
            return new PoolEntry(id, parent, spec, node, m.get("parent"));
        }

        private long[] capacity(Node node, Node owner, String path) {
            if (node == null) {
                error(owner, path, "is missing; give one bandwidth for both directions (capacity: 1Gbit) "
                        + "or one per direction (capacity: {uplink: 1Mbit, downlink: 4Mbit})");
                return null;
            }
            if (node instanceof ScalarNode) {
                Long bps = bandwidth(node, path);
                return bps == null ? null : new long[] {bps, bps};
            }
            Map<String, Node> m = mapping(node, path, CAPACITY_KEYS);
            if (m == null) {
                return null;
            }
            Long ul = null;
            Long dl = null;
            for (String dir : List.of("uplink", "downlink")) {
                Node n = m.get(dir);
                if (n == null) {
                    error(node, path + "." + dir, "is missing; give both uplink and downlink");
                    continue;
                }
                Long v = bandwidth(n, path + "." + dir);
                if (dir.equals("uplink")) {
                    ul = v;
                } else {
                    dl = v;
                }
            }
            return ul == null || dl == null ? null : new long[] {ul, dl};
        }

        private Long bandwidth(Node node, String path) {
            String text = scalar(node, path);
            if (text == null) {
                return null;
            }
            Long v = parseBandwidth(text);
            if (v == null) {
                error(node, path, "'" + text + "' is not a bandwidth; use whole bit/s (64000) or a number with "
                        + "kbit, Mbit, Gbit or Tbit (512kbit, 4Mbit, 1.5Gbit)");
            }
            return v;
        }

        private static Double fraction(String text) {
            String t = text.trim();
            boolean percent = t.endsWith("%");
            if (percent) {
                t = t.substring(0, t.length() - 1).trim();
            }
            double v;
            try {
                v = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                return null;
            }
            if (percent) {
                v = v / 100.0;
            }
            return v > 0 && v <= 10 && Double.isFinite(v) ? v : null;
        }

        private AttachmentEntry attachment(Node node, String path) {
            Map<String, Node> m = mapping(node, path, ATTACHMENT_KEYS);
            if (m == null) {
                return null;
            }
            if (m.containsKey("description")) {
                scalar(m.get("description"), path + ".description");
            }
            IpPrefix prefix = null;
            Node pn = m.get("prefix");
            if (pn == null) {
                error(node, path + ".prefix", "is missing; give an IPv4 or IPv6 prefix such as 10.1.0.0/16");
            } else {
                String text = scalar(pn, path + ".prefix");
                if (text != null) {
                    try {
                        prefix = IpPrefix.parse(text);
                        byte[] written = IpPrefix.parseAddress(text.trim().split("/", 2)[0]);
                        if (!Arrays.equals(written, prefix.address())) {
                            error(pn, path + ".prefix", "'" + text + "' has host bits set; did you mean " + prefix + "?");
                            prefix = null;
                        }
                    } catch (IllegalArgumentException e) {
                        error(pn, path + ".prefix", e.getMessage());
                    }
                }
            }
            String pool = requiredId(m, node, path, "pool");
            if (prefix == null || pool == null) {
                return null;
            }
            return new AttachmentEntry(new Attachment(prefix, pool), pn, m.get("pool"));
        }

        private void crossCheck(List<PoolEntry> pools, List<AttachmentEntry> attachments) {
            Map<String, PoolEntry> byId = new LinkedHashMap<>();
            for (PoolEntry p : pools) {
                PoolEntry first = byId.putIfAbsent(p.id(), p);
                if (first != null) {
                    error(p.node(), "pools", "pool '" + p.id() + "' is defined twice (first at line "
                            + (first.node().getStartMark().getLine() + 1) + ")");
                }
            }
            for (PoolEntry p : byId.values()) {
                String parent = p.parent();
                if (parent != null && !byId.containsKey(parent)) {
                    error(p.parentNode(), "pool '" + p.id() + "'.parent", "names unknown pool '" + parent + "'");
                }
            }
            Set<String> reported = new HashSet<>();
            for (PoolEntry p : byId.values()) {
                List<String> chain = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                PoolEntry cur = p;
                while (cur != null && cur.parent() != null) {
                    if (!seen.add(cur.id())) {
                        int from = chain.indexOf(cur.id());
                        List<String> cycle = chain.subList(from, chain.size());
                        if (reported.add(cycle.stream().sorted().toList().toString())) {
                            error(cur.parentNode(), "pool '" + cur.id() + "'.parent",
                                    "forms a parent cycle: " + String.join(" -> ", cycle) + " -> " + cur.id());
                        }
                        break;
                    }
                    chain.add(cur.id());
                    cur = byId.get(cur.parent());
                }
            }
            Map<IpPrefix, AttachmentEntry> byPrefix = new HashMap<>();
            for (AttachmentEntry a : attachments) {
                if (!byId.containsKey(a.attachment().pool())) {
                    error(a.poolNode(), "attachment " + a.attachment().prefix() + ".pool",
                            "names unknown pool '" + a.attachment().pool() + "'");
                }
                AttachmentEntry first = byPrefix.putIfAbsent(a.attachment().prefix(), a);
                if (first != null) {
                    error(a.prefixNode(), "attachment " + a.attachment().prefix(), "prefix is attached twice (pools '"
                            + first.attachment().pool() + "' at line " + (first.prefixNode().getStartMark().getLine() + 1)
                            + " and '" + a.attachment().pool() + "'); each prefix maps to one pool");
                }
            }
        }

        private Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
            if (!(node instanceof MappingNode mn)) {
                error(node, path, "must be a mapping with keys " + sorted(allowed));
                return null;
            }
            Map<String, Node> out = new LinkedHashMap<>();
            for (NodeTuple t : mn.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    error(t.getKeyNode(), path, "keys must be plain words");
                    continue;
                }
                String key = k.getValue();
                if (!allowed.contains(key)) {
                    error(k, path + "." + key, "unknown key; allowed: " + sorted(allowed));
                } else if (out.put(key, t.getValueNode()) != null) {
                    error(k, path + "." + key, "is given twice");
                }
            }
            return out;
        }

        private List<Node> sequence(Node node, String path) {
            if (!(node instanceof SequenceNode sn)) {
                error(node, path, "must be a list (items start with '- ')");
                return null;
            }
            return sn.getValue();
        }

        private String scalar(Node node, String path) {
            if (!(node instanceof ScalarNode sn)) {
                error(node, path, "must be a single value, not a list or mapping");
                return null;
            }
            return sn.getValue();
        }

        private String requiredId(Map<String, Node> m, Node owner, String path, String key) {
            Node n = m.get(key);
            if (n == null) {
                error(owner, path + "." + key, "is missing");
                return null;
            }
            return id(n, path + "." + key);
        }

        private String optionalId(Map<String, Node> m, String path, String key) {
            Node n = m.get(key);
            return n == null ? null : id(n, path + "." + key);
        }

        private String id(Node n, String path) {
            String v = scalar(n, path);
            if (v != null && !ID.matcher(v).matches()) {
                error(n, path, "'" + v + "' is not a valid id; use 1..200 letters, digits and . _ - : / "
                        + "starting with a letter or digit");
                return null;
            }
            return v;
        }

        private static String sorted(Set<String> keys) {
            return keys.stream().sorted().toList().toString();
        }

        private String at(Mark m) {
            return m == null ? name : name + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
        }

        private void error(Node node, String path, String message) {
            Mark m = node.getStartMark();
            problems.add(new Problem(m.getLine() + 1, m.getColumn() + 1, path + ": " + message));
        }

        private InvalidTopologyException failure() {
            problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
            return new InvalidTopologyException(name, problems.stream()
                    .map(p -> name + ":" + p.line() + ":" + p.column() + ": " + p.text()).toList());
        }
    }
}
