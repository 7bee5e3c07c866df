package org.arbiter.adapter.netconf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.arbiter.adapter.netconf.DeviceModel.QName;
import org.arbiter.adapter.netconf.DeviceModel.ReadField;
import org.arbiter.adapter.netconf.DeviceModel.Value;
import org.arbiter.core.qos.Direction;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads device model files: YAML with XML templates as block text. A model named {@code acme}
 * is the file {@code acme.yaml}, looked up first in the configured model directory, then among
 * the models shipped in this jar ({@code org/arbiter/adapter/netconf/models/}).
 *
 * <p>Every mistake is a {@link DeviceModelException} naming the file and the key, and for a
 * template the line and column inside it; nothing falls back to a default silently.
 *
 * <p><b>Threading.</b> Stateless.
 */
final class DeviceModelReader {

    /** Where the shipped models live on the class path. */
    static final String SHIPPED = "org/arbiter/adapter/netconf/models/";

    static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Set<String> KEYS = Set.of("model", "description", "module", "namespaces", "entry", "key",
            "name", "directions", "install", "remove", "read", "list-xpath");
    private static final int MAX_FILE_CHARS = 1 << 20;

    private DeviceModelReader() {
    }

    /**
     * Loads the model {@code name} from {@code dir} (when not null and the file exists there) or
     * from the shipped models.
     *
     * @throws DeviceModelException when there is no such model or it is not valid
     */
    static DeviceModel load(String name, Path dir) {
        if (!MODEL_NAME.matcher(name).matches()) {
            throw new DeviceModelException("model name '" + name + "' is not a file name of the form "
                    + MODEL_NAME.pattern());
        }
        String file = name + ".yaml";
        if (dir != null) {
            Path p = dir.resolve(file);
            if (Files.isRegularFile(p)) {
                try {
                    if (Files.size(p) > MAX_FILE_CHARS) {
                        throw new DeviceModelException(p + ": larger than " + MAX_FILE_CHARS + " bytes");
                    }
                    return parse(name, p.toString(), Files.readString(p, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new DeviceModelException(p + ": cannot be read: " + e.getMessage(), e);
                }
            }
        }
        try (InputStream in = DeviceModelReader.class.getClassLoader().getResourceAsStream(SHIPPED + file)) {
            if (in == null) {
                throw new DeviceModelException("no device model '" + name + "': neither "
                        + (dir == null ? "" : dir.resolve(file) + " nor ") + "a shipped model (shipped: "
                        + String.join(", ", shipped()) + ")");
            }
            return parse(name, "classpath:" + SHIPPED + file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DeviceModelException("classpath:" + SHIPPED + file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** The names of the models shipped in this jar. */
    static List<String> shipped() {
        return List.of("arbiter-qos", "ietf-interfaces-policer");
    }

    /**
     * Parses one model file.
     *
     * @param name the expected model name (the file name without {@code .yaml})
     * @param source where the text came from, for messages
     * @param text the YAML text
     */
    static DeviceModel parse(String name, String source, String text) {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(MAX_FILE_CHARS);
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new DeviceModelException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new DeviceModelException(source + ": expected a mapping of model keys, got "
                    + (root == null ? "an empty file" : root.getClass().getSimpleName()));
        }
        return new Parse(source, map).model(name);
    }

    /** One file being parsed; carries the source for messages. */
    private static final class Parse {
        private final String source;
        private final Map<?, ?> map;

        Parse(String source, Map<?, ?> map) {
            this.source = source;
            this.map = map;
        }

        private DeviceModelException error(String key, String problem) {
            return new DeviceModelException(source + ": " + key + ": " + problem);
        }

        DeviceModel model(String expectedName) {
            for (Object k : map.keySet()) {
                if (!(k instanceof String s) || !KEYS.contains(s)) {
                    throw error(String.valueOf(k), "unknown key; allowed keys are " + new TreeSet<>(KEYS));
                }
            }
            String name = string("model", true);
            if (!name.equals(expectedName)) {
                throw error("model", "'" + name + "' differs from the file name '" + expectedName + ".yaml'");
            }
            String description = string("description", false);
            String module = string("module", false);
            Map<String, String> namespaces = namespaces();
            List<QName> entry = path("entry", string("entry", true), namespaces, true);
            List<QName> keyPath = path("key", string("key", true), namespaces, false);
            if (keyPath.size() != 1) {
                throw error("key", "must be one leaf directly under the entry, e.g. p:name");
            }
            QName key = keyPath.getFirst();
            Object nameSection = map.get("name");
            String prefix = "arb-";
            int hashLength = 26;
            if (nameSection != null) {
                if (!(nameSection instanceof Map<?, ?> n)) {
                    throw error("name", "expected a mapping with prefix and hash-length");
                }
                for (Object k : n.keySet()) {
                    if (!"prefix".equals(k) && !"hash-length".equals(k)) {
                        throw error("name." + k, "unknown key; allowed keys are [hash-length, prefix]");
                    }
                }
                if (n.containsKey("prefix")) {
                    if (!(n.get("prefix") instanceof String p) || p.length() > 32) {
                        throw error("name.prefix", "expected text of at most 32 characters");
                    }
                    prefix = p;
                }
                if (n.containsKey("hash-length")) {
                    if (!(n.get("hash-length") instanceof Integer h) || h < 8 || h > 52) {
                        throw error("name.hash-length", "expected an integer in [8, 52], got '" + n.get("hash-length") + "'");
                    }
                    hashLength = h;
                }
            }
            Map<Direction, String> directions = directions();
            QName last = entry.getLast();
            Set<String> all = Arrays.stream(Value.values()).map(v -> v.key).collect(Collectors.toCollection(TreeSet::new));
            XmlTemplate install = template("install", last, namespaces, all);
            XmlTemplate remove = template("remove", last, namespaces, Set.of("id", "name"));
            Map<Value, ReadField> read = read(namespaces);
            String listXpath = string("list-xpath", false);
            return new DeviceModel(name, description, module, namespaces, entry, key, prefix, hashLength, directions,
                    install, remove, read, listXpath);
        }

        private String string(String key, boolean required) {
            Object v = map.get(key);
            if (v == null) {
                if (required) {
                    throw error(key, "missing; a value is required");
                }
                return "";
            }
            if (!(v instanceof String s) || s.isBlank()) {
                throw error(key, "expected non-empty text, got '" + v + "'");
            }
            return s.strip();
        }

        private Map<String, String> namespaces() {
            Object v = map.get("namespaces");
            if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
                throw error("namespaces", "expected a mapping of prefix to namespace URI, e.g. {q: urn:example:qos}");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String p) || !PREFIX.matcher(p).matches() || p.equals("nc")
                        || p.toLowerCase(Locale.ROOT).startsWith("xml")) {
                    throw error("namespaces." + e.getKey(), "not a usable prefix (letters, digits, _ . -; not nc or xml*)");
                }
                if (!(e.getValue() instanceof String ns) || ns.isBlank()) {
                    throw error("namespaces." + p, "expected a namespace URI");
                }
                out.put(p, ns.strip());
            }
            return out;
        }

        private List<QName> path(String key, String text, Map<String, String> namespaces, boolean absolute) {
            String p = text;
            if (absolute) {
                if (!p.startsWith("/")) {
                    throw error(key, "'" + text + "' must start with / (a path from the datastore root)");
                }
                p = p.substring(1);
            }
            List<QName> steps = new ArrayList<>();
            for (String step : p.split("/", -1)) {
                int colon = step.indexOf(':');
                if (colon <= 0 || colon == step.length() - 1) {
                    throw error(key, "step '" + step + "' of '" + text + "' is not prefix:name");
                }
                String prefix = step.substring(0, colon);
                String ns = namespaces.get(prefix);
                if (ns == null) {
                    throw error(key, "prefix '" + prefix + "' in '" + text + "' is not in namespaces " + namespaces.keySet());
                }
                String local = step.substring(colon + 1);
                if (!PREFIX.matcher(local).matches()) {
                    throw error(key, "'" + local + "' in '" + text + "' is not an element name");
                }
                steps.add(new QName(prefix, ns, local));
            }
            return steps;
        }

        private Map<Direction, String> directions() {
            Map<Direction, String> out = new EnumMap<>(Direction.class);
            Object v = map.get("directions");
            if (v == null) {
                out.put(Direction.UPLINK, "uplink");
                out.put(Direction.DOWNLINK, "downlink");
                return out;
            }
            if (!(v instanceof Map<?, ?> m)) {
                throw error("directions", "expected a mapping {uplink: ..., downlink: ...}");
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Direction d = switch (String.valueOf(e.getKey())) {
                    case "uplink" -> Direction.UPLINK;
                    case "downlink" -> Direction.DOWNLINK;
                    default -> throw error("directions." + e.getKey(), "unknown direction; allowed are uplink, downlink");
                };
                if (!(e.getValue() instanceof String s) || s.isBlank()) {
                    throw error("directions." + e.getKey(), "expected the device's value for this direction");
                }
                out.put(d, s.strip());
            }
            if (out.size() != 2 || out.get(Direction.UPLINK).equals(out.get(Direction.DOWNLINK))) {
                throw error("directions", "needs two different values, one for uplink and one for downlink");
            }
            return out;
        }

        private XmlTemplate template(String key, QName entry, Map<String, String> namespaces, Set<String> known) {
            String text = string(key, true);
            XmlTemplate t;
            try {
                t = XmlTemplate.parse(text, entry.namespace(), namespaces, known);
            } catch (DeviceModelException.Problem p) {
                throw error(key, p.getMessage());
            }
            if (!t.localName().equals(entry.localName()) || !t.namespace().equals(entry.namespace())) {
                throw error(key, "the template's element {" + t.namespace() + "}" + t.localName()
                        + " is not the entry {" + entry.namespace() + "}" + entry.localName() + " named by 'entry'");
            }
            if (!t.placeholders().contains("name")) {
                throw error(key, "never uses ${name}, so the entry's key is not written");
            }
            return t;
        }

        private Map<Value, ReadField> read(Map<String, String> namespaces) {
            Object v = map.get("read");
            if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
                throw error("read", "expected a mapping of value name to leaf path, e.g. {id: q:id, rate-bps: q:rate}");
            }
            Map<Value, ReadField> out = new EnumMap<>(Value.class);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                Value value = Value.byKey(k).filter(x -> x != Value.NAME).orElseThrow(() -> error("read." + k,
                        "unknown value; allowed are " + Arrays.stream(Value.values()).filter(x -> x != Value.NAME)
                                .map(x -> x.key).toList()));
                String pathText;
                String dflt = null;
                if (e.getValue() instanceof String s) {
                    pathText = s.strip();
                } else if (e.getValue() instanceof Map<?, ?> field) {
                    for (Object fk : field.keySet()) {
                        if (!"path".equals(fk) && !"default".equals(fk)) {
                            throw error("read." + k + "." + fk, "unknown key; allowed keys are [default, path]");
                        }
                    }
                    if (!(field.get("path") instanceof String s)) {
                        throw error("read." + k + ".path", "missing; a leaf path is required");
                    }
                    pathText = s.strip();
                    Object d = field.get("default");
                    dflt = d == null ? null : String.valueOf(d);
                } else {
                    throw error("read." + k, "expected a leaf path or {path: ..., default: ...}");
                }
                out.put(value, new ReadField(path("read." + k, pathText, namespaces, false), dflt));
            }
            for (Value required : List.of(Value.ID, Value.DIRECTION)) {
                if (!out.containsKey(required)) {
                    throw error("read", "must map '" + required.key + "'");
                }
            }
            if (!out.containsKey(Value.RATE_BPS) && !out.containsKey(Value.RATE_KBPS)) {
                throw error("read", "must map 'rate-bps' or 'rate-kbps'");
            }
            return out;
        }
    }
}
