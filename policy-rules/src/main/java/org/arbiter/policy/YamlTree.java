package org.arbiter.policy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML file through SnakeYAML's node API, so every value keeps its line and column, and
 * records every problem as a {@link PolicyError} instead of stopping at the first.
 *
 * <p>Each accessor returns {@code null} after recording an error when the node is not what the
 * schema expects; callers skip what is {@code null} and carry on, so one pass reports everything.
 * Not thread-safe: one instance reads one file.
 */
final class YamlTree {

    /** The largest file read: 1 MiB of text. */
    static final int MAX_CODE_POINTS = 1 << 20;

    private final String file;
    private final List<PolicyError> errors;
    private String[] lines = new String[0];

    YamlTree(String file, List<PolicyError> errors) {
        this.file = file;
        this.errors = errors;
    }

    String file() {
        return file;
    }

    /** How many errors have been recorded so far (in this file and any other sharing the list). */
    int errorCount() {
        return errors.size();
    }

    /** The single document in the text; {@code null} for an empty file or a syntax error (recorded). */
    Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit(MAX_CODE_POINTS);
        lines = text.split("\n", -1);
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            add(m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1,
                    "YAML syntax: " + oneLine(what) + oneLine(context));
        } catch (YAMLException e) {
            add(1, 1, "YAML: " + oneLine(e.getMessage()));
        }
        return null;
    }

    /** A line of the file's text (0-based), or "" past the end. */
    String line(int index) {
        return index >= 0 && index < lines.length ? lines[index] : "";
    }

    void error(Node at, String message) {
        Mark m = at.getStartMark();
        add(m.getLine() + 1, m.getColumn() + 1, message);
    }

    void add(int line, int column, String message) {
        errors.add(new PolicyError(file, line, column, message));
    }

    MappingNode mapping(Node n, String path) {
        if (n instanceof MappingNode m) {
            return m;
        }
        error(n, path + ": expected a mapping (key: value lines), got " + describe(n));
        return null;
    }

    SequenceNode sequence(Node n, String path) {
        if (n instanceof SequenceNode s) {
            return s;
        }
        error(n, path + ": expected a list, got " + describe(n));
        return null;
    }

    /**
     * The entries of a mapping by key, in file order. Records duplicate keys, keys that are not
     * plain text, keys not in {@code allowed} (when it is not {@code null}) and missing
     * {@code required} keys.
     */
    Map<String, NodeTuple> entries(MappingNode m, String path, Collection<String> allowed, Collection<String> required) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || k.getTag().equals(Tag.NULL)) {
                error(t.getKeyNode(), path + ": a key must be a plain name, got " + describe(t.getKeyNode()));
                continue;
            }
            String key = k.getValue();
            if (out.containsKey(key)) {
                Mark first = out.get(key).getKeyNode().getStartMark();
                error(k, path + ": duplicate key '" + key + "' (first at line " + (first.getLine() + 1) + ")");
                continue;
            }
            if (allowed != null && !allowed.contains(key)) {
                error(k, path + ": unknown key '" + key + "'; allowed here: " + String.join(", ", allowed));
                continue;
            }
            out.put(key, t);
        }
        for (String r : required) {
            if (!out.containsKey(r)) {
                error(m, path + ": missing required key '" + r + "'");
            }
        }
        return out;
    }

    /** A text value. YAML's implicit typing matters: {@code no} is a boolean, {@code 40} a number. */
    String string(Node n, String path) {
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.STR)) {
            return s.getValue();
        }
        error(n, path + ": expected text, got " + describe(n) + (n instanceof ScalarNode ? " (quote it to make it text)" : ""));
        return null;
    }

    /** A non-empty text value. */
    String name(Node n, String path) {
        String s = string(n, path);
        if (s != null && s.isBlank()) {
            error(n, path + ": must not be empty");
            return null;
        }
        return s;
    }

    Long integer(Node n, String path, long min, long max) {
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
            try {
                long v = Long.parseLong(s.getValue().replace("_", ""));
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException outOfRange) {
                // reported below with the allowed range
            }
            error(n, path + ": " + s.getValue() + " is out of range; allowed: " + min + ".." + max);
            return null;
        }
        error(n, path + ": expected a whole number " + min + ".." + max + ", got " + describe(n));
        return null;
    }

    Boolean bool(Node n, String path) {
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            return switch (s.getValue().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "on", "y" -> Boolean.TRUE;
                default -> Boolean.FALSE;
            };
        }
        error(n, path + ": expected true or false, got " + describe(n));
        return null;
    }

    Long bandwidth(Node n, String path) {
        if (n instanceof ScalarNode s && (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.STR)
                || s.getTag().equals(Tag.FLOAT))) {
            long v = Bandwidth.parse(s.getValue().replace("_", ""));
            if (v >= 0) {
                return v;
            }
        }
        error(n, path + ": expected " + Bandwidth.SYNTAX + " up to 1000G, got " + describe(n));
        return null;
    }

    /** A list of non-empty texts. */
    List<String> names(Node n, String path) {
        SequenceNode seq = sequence(n, path);
        if (seq == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        List<Node> items = seq.getValue();
        for (int i = 0; i < items.size(); i++) {
            String s = name(items.get(i), path + "[" + i + "]");
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** How a node reads to a person: "the number 40", "the text 'EFF'", "a list". */
    static String describe(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) n;
        Tag t = s.getTag();
        if (t.equals(Tag.NULL)) {
            return "nothing (an empty value)";
        }
        if (t.equals(Tag.INT) || t.equals(Tag.FLOAT)) {
            return "the number " + s.getValue();
        }
        if (t.equals(Tag.BOOL)) {
            return "the boolean '" + s.getValue() + "'";
        }
        if (t.equals(Tag.STR)) {
            return "the text '" + s.getValue() + "'";
        }
        return "'" + s.getValue() + "' (" + t.getValue() + ")";
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').trim().replaceAll("\\s+", " ");
    }
}
