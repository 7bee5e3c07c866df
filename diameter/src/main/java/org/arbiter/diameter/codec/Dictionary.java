package org.arbiter.diameter.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The AVP, command and application names of the base protocol and of Rx, loaded from the data file
 * {@code dictionary.txt} next to this class (the one place that maps spec names to codes).
 *
 * <p>Immutable and thread-safe once loaded. Lookups by name throw {@link IllegalArgumentException}
 * for a name the file does not define (a programming error, caught by the unit tests); lookups by
 * code return {@code null} for an unknown code (wire input).
 */
public final class Dictionary {

    private static final Dictionary STANDARD = load("dictionary.txt");

    private final Map<String, AvpDef> avpsByName = new HashMap<>();
    private final Map<Long, AvpDef> avpsByCode = new HashMap<>();
    private final Map<String, Integer> commandsByName = new HashMap<>();
    private final Map<Integer, String> commandNames = new HashMap<>();
    private final Map<String, Long> applicationsByName = new HashMap<>();
    private final Map<String, Integer> vendorsByName = new HashMap<>();
    /**
     * {@link #avpsByCode} as an open-addressing table for the decoder's lookups (no boxing): a
     * power-of-two size at least four times the entries, linear probing, {@code null} ends a probe.
     * Written once by {@link #load}, before the dictionary is published.
     */
    private long[] codeKeys;
    private AvpDef[] codeDefs;

    private Dictionary() {}

    /** The dictionary shipped with the module (RFC 6733 base + TS 29.214 Rx). */
    public static Dictionary standard() {
        return STANDARD;
    }

    /** The AVP the spec calls {@code name}. */
    public AvpDef avp(String name) {
        AvpDef d = avpsByName.get(name);
        if (d == null) {
            throw new IllegalArgumentException("the dictionary has no AVP named '" + name + "'");
        }
        return d;
    }

    /** The AVP with this code and vendor, or {@code null} when the dictionary does not know it. */
    public AvpDef avp(int code, int vendorId) {
        long k = key(code, vendorId);
        int mask = codeDefs.length - 1;
        for (int i = slot(k, mask); ; i = (i + 1) & mask) {
            AvpDef d = codeDefs[i];
            if (d == null || codeKeys[i] == k) {
                return d;
            }
        }
    }

    private static int slot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }

    private void index() {
        int size = Integer.highestOneBit(Math.max(16, avpsByCode.size() * 4) - 1) << 1;
        codeKeys = new long[size];
        codeDefs = new AvpDef[size];
        for (Map.Entry<Long, AvpDef> e : avpsByCode.entrySet()) {
            int i = slot(e.getKey(), size - 1);
            while (codeDefs[i] != null) {
                i = (i + 1) & (size - 1);
            }
            codeKeys[i] = e.getKey();
            codeDefs[i] = e.getValue();
        }
    }

    /** The code of the command the spec calls {@code name} ({@code AA}, {@code Capabilities-Exchange}). */
    public int command(String name) {
        Integer c = commandsByName.get(name);
        if (c == null) {
            throw new IllegalArgumentException("the dictionary has no command named '" + name + "'");
        }
        return c;
    }

    /** The name of a command code, or {@code "Command-<code>"} for an unknown one. */
    public String commandName(int code) {
        String n = commandNames.get(code);
        return n != null ? n : "Command-" + code;
    }

    /** The id of the application the dictionary calls {@code name} ({@code Rx}, {@code Relay}). */
    public long application(String name) {
        Long a = applicationsByName.get(name);
        if (a == null) {
            throw new IllegalArgumentException("the dictionary has no application named '" + name + "'");
        }
        return a;
    }

    /** The id of the vendor the dictionary calls {@code name} ({@code 3GPP}). */
    public int vendor(String name) {
        Integer v = vendorsByName.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the dictionary has no vendor named '" + name + "'");
        }
        return v;
    }

    /** Every AVP definition, in no particular order. */
    public List<AvpDef> avps() {
        return List.copyOf(avpsByName.values());
    }

    private static long key(int code, int vendorId) {
        return ((long) vendorId << 32) | (code & 0xFFFFFFFFL);
    }

    static Dictionary load(String resource) {
        Dictionary d = new Dictionary();
        try (InputStream in = Dictionary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("dictionary resource " + resource + " is missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                d.parseLine(t.split("\\s+"), resource, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dictionary " + resource, e);
        }
        d.index();
        return d;
    }

    private void parseLine(String[] f, String resource, int line) {
        try {
            switch (f[0]) {
                case "vendor" -> {
                    expect(f, 3);
                    vendorsByName.put(f[2], Integer.parseInt(f[1]));
                }
                case "application" -> {
                    if (f.length < 3) {
                        expect(f, 3);
                    }
                    applicationsByName.put(f[2], Long.parseLong(f[1]));
                }
                case "command" -> {
                    expect(f, 4);
                    int code = Integer.parseInt(f[1]);
                    application(f[3]);
                    commandsByName.put(f[2], code);
                    commandNames.put(code, f[2]);
                }
                case "avp" -> {
                    expect(f, 6);
                    int vendor = f[3].equals("-") ? 0 : vendor(f[3]);
                    AvpType type = AvpType.bySpecName(f[4]);
                    if (type == null) {
                        throw new IllegalArgumentException("unknown type '" + f[4] + "'");
                    }
                    boolean m = f[5].contains("M");
                    if (f[5].contains("V") != (vendor != 0)) {
                        throw new IllegalArgumentException("V flag '" + f[5] + "' disagrees with vendor '" + f[3] + "'");
                    }
                    AvpDef def = new AvpDef(f[2], Integer.parseInt(f[1]), vendor, type, m);
                    if (avpsByName.putIfAbsent(def.name(), def) != null
                            || avpsByCode.putIfAbsent(key(def.code(), vendor), def) != null) {
                        throw new IllegalArgumentException("duplicate AVP " + def.name() + " (" + def.code() + ")");
                    }
                }
                default -> throw new IllegalArgumentException("unknown entry kind '" + f[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(resource + ":" + line + ": " + e.getMessage(), e);
        }
    }

    private static void expect(String[] f, int n) {
        if (f.length != n) {
            throw new IllegalArgumentException("expected " + n + " fields, found " + f.length);
        }
    }
}
