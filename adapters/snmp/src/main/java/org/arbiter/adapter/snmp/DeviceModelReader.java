package org.arbiter.adapter.snmp;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.arbiter.adapter.snmp.DeviceModel.Column;
import org.arbiter.adapter.snmp.DeviceModel.RowIndex;
import org.arbiter.adapter.snmp.DeviceModel.Source;
import org.arbiter.adapter.snmp.DeviceModel.Syntax;
import org.arbiter.adapter.snmp.DeviceModel.Table;
import org.arbiter.core.qos.Direction;
import org.snmp4j.smi.OID;
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
 * Reads device model files (YAML) into {@link DeviceModel}s, checking every key and value and
 * reporting the first mistake as {@link DeviceModelException} with file, line and column. The file
 * format is described in {@code docs/adapters.md}; the shipped models are class path resources
 * under {@value #SHIPPED}.
 *
 * <p>Stateless and thread-safe.
 */
final class DeviceModelReader {

    /** Where the shipped models live on the class path. */
    static final String SHIPPED = "org/arbiter/adapter/snmp/models/";

    /** The models shipped with the adapter. */
    static final List<String> SHIPPED_MODELS = List.of("docsis-qos-service-class", "diffserv-policer");

    /** Model names: also file names. */
    static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private static final int MAX_FILE_CHARS = 1 << 20;
    private static final Pattern OID_TEXT = Pattern.compile("\\.?[0-9]{1,10}(\\.[0-9]{1,10}){1,127}");
    private static final Pattern NAME_PREFIX = Pattern.compile("[A-Za-z0-9._-]*");
    private static final Pattern HEX = Pattern.compile("([0-9A-Fa-f]{2})*");

    private final String source;

    private DeviceModelReader(String source) {
        this.source = source;
    }

    /**
     * Loads model {@code name}: {@code dir/name.yaml} when a directory is given and holds it,
     * otherwise the shipped model of that name; null when neither exists.
     *
     * @throws DeviceModelException when the file exists but is not a valid model
     */
    static DeviceModel load(String name, Path dir) {
        if (dir != null) {
            Path file = dir.resolve(name + ".yaml");
            if (Files.isRegularFile(file)) {
                String text;
                try {
                    if (Files.size(file) > MAX_FILE_CHARS) {
                        throw new DeviceModelException(file.toString(), 0, 0, "larger than " + MAX_FILE_CHARS + " bytes");
                    }
                    text = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new DeviceModelException(file.toString(), "cannot be read: " + e.getMessage(), e);
                }
                return parse(file.toString(), text, name);
            }
        }
        String resource = SHIPPED + name + ".yaml";
        try (InputStream in = DeviceModelReader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            return parse("classpath:" + resource, new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new DeviceModelException("classpath:" + resource, "cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Parses one model file.
     *
     * @param source the file name, for messages
     * @param text the content
     * @param expectedName the name the file must declare ({@code model:}), or null for any
     */
    static DeviceModel parse(String source, String text, String expectedName) {
        return new DeviceModelReader(source).read(text, expectedName);
    }

    private DeviceModel read(String text, String expectedName) {
        if (text.length() > MAX_FILE_CHARS) {
            throw new DeviceModelException(source, 0, 0, "larger than " + MAX_FILE_CHARS + " characters");
        }
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setNestingDepthLimit(20);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            throw new DeviceModelException(source, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1,
                    "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new DeviceModelException(source, "not valid YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            throw new DeviceModelException(source, 0, 0, "empty file; expected a device model");
        }
        Map<String, NodeTuple> top = mapping(root, "model file", Set.of("model", "description", "index", "tables"),
                Set.of("model", "index", "tables"));
        Node nameNode = top.get("model").getValueNode();
        String name = scalar(nameNode, "model");
        if (!MODEL_NAME.matcher(name).matches()) {
            throw error(nameNode, "model", "'" + name + "' is not a model name; expected " + MODEL_NAME.pattern());
        }
        if (expectedName != null && !expectedName.equals(name)) {
            throw error(nameNode, "model", "'" + name + "' differs from the file name; expected '" + expectedName + "'");
        }
        String description = top.containsKey("description") ? scalar(top.get("description").getValueNode(), "description") : "";
        RowIndex index = index(top.get("index").getValueNode());
        List<Table> tables = new ArrayList<>();
        List<Node> tableNodes = sequence(top.get("tables").getValueNode(), "tables", 1, 8);
        for (int i = 0; i < tableNodes.size(); i++) {
            tables.add(table(tableNodes.get(i), "tables[" + i + "]"));
        }
        checkTables(tables, tableNodes);
        return new DeviceModel(name, source, description, index, tables);
    }

    private RowIndex index(Node node) {
        Map<String, NodeTuple> m = mapping(node, "index", Set.of("kind", "prefix", "length", "implied", "probe"), Set.of("kind"));
        Node kindNode = m.get("kind").getValueNode();
        String kind = scalar(kindNode, "index.kind");
        int probe = m.containsKey("probe") ? (int) integer(m.get("probe").getValueNode(), "index.probe", 1, 16) : 4;
        switch (kind) {
            case "hash31" -> {
                for (String k : List.of("prefix", "length", "implied")) {
                    if (m.containsKey(k)) {
                        throw error(m.get(k).getKeyNode(), "index." + k, "only for kind name");
                    }
                }
                return new RowIndex(RowIndex.Kind.HASH31, "", 0, false, probe);
            }
            case "name" -> {
                if (!m.containsKey("length")) {
                    throw error(node, "index.length", "missing; kind name needs the name length (9..64)");
                }
                int length = (int) integer(m.get("length").getValueNode(), "index.length", 9, 64);
                String prefix = m.containsKey("prefix") ? scalar(m.get("prefix").getValueNode(), "index.prefix") : "";
                if (!NAME_PREFIX.matcher(prefix).matches() || prefix.length() > length - 8) {
                    throw error(m.get("prefix").getValueNode(), "index.prefix", "'" + prefix
                            + "' must be letters, digits, '.', '_' or '-', at most " + (length - 8) + " of them (length - 8)");
                }
                boolean implied = m.containsKey("implied") && bool(m.get("implied").getValueNode(), "index.implied");
                return new RowIndex(RowIndex.Kind.NAME, prefix, length, implied, probe);
            }
            default -> throw error(kindNode, "index.kind", "'" + kind + "'; expected name or hash31");
        }
    }

    private Table table(Node node, String path) {
        Map<String, NodeTuple> m = mapping(node, path, Set.of("name", "entry", "row-status", "create", "columns"),
                Set.of("name", "entry", "row-status", "columns"));
        String name = scalar(m.get("name").getValueNode(), path + ".name");
        OID entry = oid(m.get("entry").getValueNode(), path + ".entry");
        int rowStatus = (int) integer(m.get("row-status").getValueNode(), path + ".row-status", 1, Integer.MAX_VALUE);
        boolean createAndWait = false;
        if (m.containsKey("create")) {
            Node c = m.get("create").getValueNode();
            String create = scalar(c, path + ".create");
            switch (create) {
                case "createAndGo" -> createAndWait = false;
                case "createAndWait" -> createAndWait = true;
                default -> throw error(c, path + ".create", "'" + create + "'; expected createAndGo or createAndWait");
            }
        }
        List<Node> columnNodes = sequence(m.get("columns").getValueNode(), path + ".columns", 1, 64);
        List<Column> columns = new ArrayList<>();
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < columnNodes.size(); i++) {
            String cpath = path + ".columns[" + i + "]";
            Column c = column(columnNodes.get(i), cpath);
            if (c.number() == rowStatus) {
                throw error(columnNodes.get(i), cpath + ".column", c.number() + " is the row-status column");
            }
            if (!numbers.add(c.number())) {
                throw error(columnNodes.get(i), cpath + ".column", c.number() + " appears twice in " + name);
            }
            columns.add(c);
        }
        return new Table(name, entry, rowStatus, createAndWait, columns);
    }

    private Column column(Node node, String path) {
        Map<String, NodeTuple> m = mapping(node, path, Set.of("name", "column", "type", "value", "const", "hex", "map",
                "if-absent", "range", "max-length", "compare"), Set.of("name", "column", "type"));
        String name = scalar(m.get("name").getValueNode(), path + ".name");
        int number = (int) integer(m.get("column").getValueNode(), path + ".column", 1, Integer.MAX_VALUE);
        Node typeNode = m.get("type").getValueNode();
        Syntax syntax = syntax(typeNode, path + ".type");

        long min = syntax.min;
        long max = syntax.max;
        if (m.containsKey("range")) {
            Node r = m.get("range").getValueNode();
            if (!syntax.numeric()) {
                throw error(r, path + ".range", "only for integer and unsigned columns");
            }
            List<Node> bounds = sequence(r, path + ".range", 2, 2);
            min = integer(bounds.get(0), path + ".range[0]", syntax.min, syntax.max);
            max = integer(bounds.get(1), path + ".range[1]", min, syntax.max);
        }
        int maxLength = 255;
        if (m.containsKey("max-length")) {
            Node l = m.get("max-length").getValueNode();
            if (syntax.numeric() || syntax == Syntax.IP_ADDRESS) {
                throw error(l, path + ".max-length", "only for string and octets columns");
            }
            maxLength = (int) integer(l, path + ".max-length", 0, 65535);
        }
        boolean compare = !m.containsKey("compare") || bool(m.get("compare").getValueNode(), path + ".compare");

        List<String> given = new ArrayList<>();
        for (String k : List.of("value", "const", "hex")) {
            if (m.containsKey(k)) {
                given.add(k);
            }
        }
        if (given.size() != 1) {
            throw error(node, path, "needs exactly one of value, const, hex; has " + (given.isEmpty() ? "none" : given));
        }
        Source src;
        Object constant = null;
        switch (given.get(0)) {
            case "const" -> {
                src = Source.CONSTANT;
                Node c = m.get("const").getValueNode();
                constant = switch (syntax) {
                    case INTEGER, UNSIGNED -> integer(c, path + ".const", min, max);
                    case STRING -> scalar(c, path + ".const");
                    case OCTETS -> throw error(c, path + ".const", "octets columns take a hex: constant");
                    case IP_ADDRESS -> throw error(c, path + ".const", "ip-address columns cannot be constant");
                };
            }
            case "hex" -> {
                src = Source.CONSTANT;
                Node h = m.get("hex").getValueNode();
                String hex = scalar(h, path + ".hex");
                if (syntax != Syntax.OCTETS) {
                    throw error(h, path + ".hex", "only for octets columns");
                }
                if (!HEX.matcher(hex).matches() || hex.length() / 2 > maxLength) {
                    throw error(h, path + ".hex", "'" + hex + "'; expected an even number of hex digits, at most " + maxLength + " octets");
                }
                constant = HexFormat.of().parseHex(hex);
            }
            default -> src = source(m.get("value").getValueNode(), path + ".value", syntax);
        }

        Map<Direction, Long> map = null;
        if (m.containsKey("map")) {
            Node mapNode = m.get("map").getValueNode();
            if (src != Source.DIRECTION) {
                throw error(mapNode, path + ".map", "only for value: direction");
            }
            Map<String, NodeTuple> dm = mapping(mapNode, path + ".map", Set.of("uplink", "downlink"), Set.of("uplink", "downlink"));
            map = new EnumMap<>(Direction.class);
            map.put(Direction.UPLINK, integer(dm.get("uplink").getValueNode(), path + ".map.uplink", min, max));
            map.put(Direction.DOWNLINK, integer(dm.get("downlink").getValueNode(), path + ".map.downlink", min, max));
        } else if (src == Source.DIRECTION) {
            throw error(node, path + ".map", "missing; value: direction needs map: {uplink: N, downlink: N}");
        }

        Object ifAbsent = null;
        if (m.containsKey("if-absent")) {
            Node a = m.get("if-absent").getValueNode();
            if (!src.nullable()) {
                throw error(a, path + ".if-absent", "only for latency-ms, latency-us, session-id and pool-id");
            }
            ifAbsent = syntax.numeric() ? (Object) integer(a, path + ".if-absent", min, max) : scalar(a, path + ".if-absent");
        } else if (src == Source.LATENCY_MS || src == Source.LATENCY_US) {
            throw error(node, path + ".if-absent", "missing; " + src.fileName + " needs the value written when a flow has no latency target");
        }
        return new Column(name, number, syntax, src, constant, map, ifAbsent, min, max, maxLength, compare);
    }

    private Syntax syntax(Node node, String path) {
        String s = scalar(node, path);
        for (Syntax x : Syntax.values()) {
            if (x.fileName.equals(s)) {
                return x;
            }
        }
        throw error(node, path, "'" + s + "'; expected one of integer, unsigned, string, octets, ip-address");
    }

    private Source source(Node node, String path, Syntax syntax) {
        String s = scalar(node, path);
        Source src = null;
        for (Source x : Source.values()) {
            if (x != Source.CONSTANT && x.fileName.equals(s)) {
                src = x;
            }
        }
        if (src == null) {
            Set<String> names = new TreeSet<>();
            for (Source x : Source.values()) {
                if (x != Source.CONSTANT) {
                    names.add(x.fileName);
                }
            }
            throw error(node, path, "'" + s + "'; expected one of " + names);
        }
        boolean fits = src.text() ? syntax == Syntax.STRING
                : src == Source.ADDRESS_OCTETS ? syntax == Syntax.OCTETS || syntax == Syntax.IP_ADDRESS
                : syntax.numeric();
        if (!fits) {
            String wanted = src.text() ? "string" : src == Source.ADDRESS_OCTETS ? "octets or ip-address" : "integer or unsigned";
            throw error(node, path, s + " cannot be written as " + syntax.fileName + "; expected a column of type " + wanted);
        }
        return src;
    }

    private void checkTables(List<Table> tables, List<Node> nodes) {
        int ids = 0;
        for (int i = 0; i < tables.size(); i++) {
            for (Column c : tables.get(i).columns()) {
                if (c.source() == Source.ID) {
                    ids++;
                }
            }
            for (int j = 0; j < i; j++) {
                OID a = tables.get(i).entry();
                OID b = tables.get(j).entry();
                if (a.startsWith(b) || b.startsWith(a)) {
                    throw error(nodes.get(i), "tables[" + i + "].entry", a + " overlaps tables[" + j + "].entry " + b);
                }
            }
        }
        if (ids != 1) {
            throw new DeviceModelException(source, nodes.get(0).getStartMark().getLine() + 1, 0,
                    "tables: " + ids + " columns have value: id; expected exactly one (the device must hold the reservation id)");
        }
    }

    // ---------------------------------------------------------------- YAML nodes

    private DeviceModelException error(Node node, String path, String message) {
        Mark m = node.getStartMark();
        return new DeviceModelException(source, m.getLine() + 1, m.getColumn() + 1, path + ": " + message);
    }

    private Map<String, NodeTuple> mapping(Node node, String path, Set<String> allowed, Set<String> required) {
        if (!(node instanceof MappingNode mn)) {
            throw error(node, path, "expected a mapping");
        }
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : mn.getValue()) {
            String key = scalar(t.getKeyNode(), path + " key");
            if (!allowed.contains(key)) {
                throw error(t.getKeyNode(), path + "." + key, "unknown key; expected one of " + new TreeSet<>(allowed));
            }
            if (out.put(key, t) != null) {
                throw error(t.getKeyNode(), path + "." + key, "appears twice");
            }
        }
        for (String r : new TreeSet<>(required)) {
            if (!out.containsKey(r)) {
                throw error(node, path + "." + r, "missing");
            }
        }
        return out;
    }

    private List<Node> sequence(Node node, String path, int min, int max) {
        if (!(node instanceof SequenceNode sn)) {
            throw error(node, path, "expected a list");
        }
        List<Node> items = sn.getValue();
        if (items.size() < min || items.size() > max) {
            throw error(node, path, items.size() + " entries; expected " + (min == max ? min : min + " to " + max));
        }
        return items;
    }

    private String scalar(Node node, String path) {
        if (!(node instanceof ScalarNode sn)) {
            throw error(node, path, "expected a single value");
        }
        return sn.getValue();
    }

    private long integer(Node node, String path, long min, long max) {
        String s = scalar(node, path);
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw error(node, path, "'" + s + "'; expected an integer in [" + min + ", " + max + "]");
        }
        if (v < min || v > max) {
            throw error(node, path, "'" + s + "'; expected an integer in [" + min + ", " + max + "]");
        }
        return v;
    }

    private boolean bool(Node node, String path) {
        String s = scalar(node, path).toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(node, path, "'" + s + "'; expected true or false");
        };
    }

    private OID oid(Node node, String path) {
        String s = scalar(node, path);
        if (OID_TEXT.matcher(s).matches()) {
            OID oid = new OID(s.startsWith(".") ? s.substring(1) : s);
            boolean fits = true;
            for (String part : (s.startsWith(".") ? s.substring(1) : s).split("\\.")) {
                fits &= Long.parseLong(part) <= 4294967295L;
            }
            if (fits && oid.size() >= 2 && oid.get(0) <= 2) {
                return oid;
            }
        }
        throw error(node, path, "'" + s + "'; expected a numeric OID such as 1.3.6.1.2.1.127.1.8.1");
    }
}
