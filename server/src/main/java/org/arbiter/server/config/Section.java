package org.arbiter.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A typed, validating view of one YAML mapping of the configuration file. Every read names the key
 * it consumes; {@link #finish()} then rejects any key that was not read (unknown keys stop
 * startup). Errors carry file:line, the key path, the value and what is allowed.
 *
 * <p>Not thread-safe; used once, at startup.
 */
final class Section {

    private final String file;
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> consumed = new LinkedHashSet<>();

    Section(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
        if (node != null) {
            if (!(node instanceof MappingNode m)) {
                throw error(node, path, "expected a mapping of keys, found " + describe(node));
            }
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    throw error(t.getKeyNode(), path, "keys must be plain names");
                }
                if (entries.put(k.getValue(), t) != null) {
                    throw error(k, child(k.getValue()), "the key is given twice");
                }
            }
        }
    }

    String path() {
        return path;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String location(Node n) {
        return n == null ? file : file + ":" + (n.getStartMark().getLine() + 1) + ":" + (n.getStartMark().getColumn() + 1);
    }

    private ConfigException error(Node n, String keyPath, String problem) {
        return new ConfigException(location(n), keyPath, problem);
    }

    private static String describe(Node n) {
        if (n instanceof ScalarNode s) {
            return "'" + s.getValue() + "'";
        }
        return n instanceof SequenceNode ? "a list" : "a mapping";
    }

    private String shown(String keyPath, ScalarNode s) {
        return ConfigException.secret(keyPath) ? "'***'" : "'" + s.getValue() + "'";
    }

    private Node value(String key) {
        consumed.add(key);
        NodeTuple t = entries.get(key);
        if (t == null) {
            return null;
        }
        Node v = t.getValueNode();
        if (v instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
            return null;
        }
        return v;
    }

    private ScalarNode scalar(String key) {
        Node v = value(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof ScalarNode s)) {
            throw error(v, child(key), "expected a single value, found " + describe(v));
        }
        return s;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    String string(String key, String dflt) {
        ScalarNode s = scalar(key);
        return s == null ? dflt : s.getValue();
    }

    String requiredString(String key, String allowed) {
        ScalarNode s = scalar(key);
        if (s == null || s.getValue().isBlank()) {
            throw error(s == null ? node : s, child(key), "missing required value; expected " + allowed);
        }
        return s.getValue();
    }

    long integer(String key, long dflt, long min, long max) {
        ScalarNode s = scalar(key);
        if (s == null) {
            return dflt;
        }
        long v;
        try {
            v = Long.parseLong(s.getValue().trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(s, child(key), "invalid value " + shown(child(key), s) + "; expected an integer in [" + min + ", " + max + "]");
        }
        if (v < min || v > max) {
            throw error(s, child(key), "value " + v + " is out of range; expected an integer in [" + min + ", " + max + "]");
        }
        return v;
    }

    boolean bool(String key, boolean dflt) {
        ScalarNode s = scalar(key);
        if (s == null) {
            return dflt;
        }
        return switch (s.getValue().trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(s, child(key), "invalid value " + shown(child(key), s) + "; expected true or false");
        };
    }

    String oneOf(String key, String dflt, List<String> allowed) {
        ScalarNode s = scalar(key);
        if (s == null) {
            return dflt;
        }
        if (!allowed.contains(s.getValue())) {
            throw error(s, child(key), "invalid value " + shown(child(key), s) + "; expected one of " + allowed);
        }
        return s.getValue();
    }

    Section section(String key) {
        return new Section(file, child(key), value(key));
    }

    List<Section> list(String key) {
        Node v = value(key);
        List<Section> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof SequenceNode seq)) {
            throw error(v, child(key), "expected a list, found " + describe(v));
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            out.add(new Section(file, child(key) + "[" + i + "]", seq.getValue().get(i)));
        }
        return out;
    }

    /** The raw value of a free-form mapping (an adapter's own settings), as plain Java objects. */
    Map<String, Object> raw(String key) {
        Node v = value(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof MappingNode)) {
            throw error(v, child(key), "expected a mapping of adapter settings, found " + describe(v));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) toJava(v);
        return m;
    }

    private static Object toJava(Node n) {
        if (n instanceof MappingNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                out.put(((ScalarNode) t.getKeyNode()).getValue(), toJava(t.getValueNode()));
            }
            return out;
        }
        if (n instanceof SequenceNode s) {
            List<Object> out = new ArrayList<>();
            s.getValue().forEach(x -> out.add(toJava(x)));
            return out;
        }
        ScalarNode s = (ScalarNode) n;
        String v = s.getValue();
        Tag tag = s.getTag();
        if (tag.equals(Tag.INT)) {
            try {
                return Long.parseLong(v.replace("_", ""));
            } catch (NumberFormatException e) {
                return v;
            }
        }
        if (tag.equals(Tag.FLOAT)) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                return v;
            }
        }
        if (tag.equals(Tag.BOOL)) {
            return Boolean.parseBoolean(v);
        }
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        return v;
    }

    /** Fails on any key of this mapping that no read consumed. */
    void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!consumed.contains(e.getKey())) {
                throw error(e.getValue().getKeyNode(), child(e.getKey()),
                        "unknown key; expected one of " + consumed);
            }
        }
    }
}
