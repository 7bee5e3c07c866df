package org.arbiter.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer configuration files and scenarios kept as test resources: copied into a test's
 * directory, with {@code {{NAME}}} placeholders filled in. Every placeholder must get a value
 * and every value must be used, so a template and its filler cannot drift apart silently.
 */
final class Templates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z_]+)}}");

    private Templates() {}

    /** The text of a test resource, e.g. {@code kamailio/kamailio.cfg}. */
    static String resource(String name) {
        try (InputStream in = Templates.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource '" + name + "' is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test resource '" + name + "'", e);
        }
    }

    /** Fills a resource's placeholders and writes it to {@code target}. */
    static Path fill(String name, Map<String, String> values, Path target) {
        String text = resource(name);
        TreeSet<String> unknown = new TreeSet<>();
        TreeSet<String> used = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                unknown.add(m.group(1));
                v = m.group();
            } else {
                used.add(m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        TreeSet<String> unused = new TreeSet<>(values.keySet());
        unused.removeAll(used);
        if (!unknown.isEmpty() || !unused.isEmpty()) {
            throw new IllegalStateException("template '" + name + "': no value for " + unknown + ", values never used " + unused);
        }
        return write(target, out.toString());
    }

    /** Copies a resource unchanged. */
    static Path copy(String name, Path target) {
        return write(target, resource(name));
    }

    private static Path write(Path target, String text) {
        try {
            Files.createDirectories(target.getParent());
            return Files.writeString(target, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
