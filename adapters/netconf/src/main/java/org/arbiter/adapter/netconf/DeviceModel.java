package org.arbiter.adapter.netconf;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.qos.Direction;
import org.w3c.dom.Element;

/**
 * How reservations map onto one device's YANG model: where the entries live, how an entry is
 * named, the XML templates that install and remove an entry, and how an entry read back becomes a
 * reservation again. Loaded from a model file by {@link DeviceModelReader}; see
 * {@code docs/adapters.md} for the file format.
 *
 * <p><b>Threading.</b> Immutable; every method may run concurrently.
 *
 * @param name the model name (the file name without {@code .yaml})
 * @param description free text
 * @param module the YANG module the device must advertise, or empty (health reports DEGRADED without it)
 * @param namespaces prefix to namespace, for paths and filters
 * @param entryPath the list entry's path from the datastore root; the last step is the entry
 * @param key the entry's key leaf, a child of the entry, which holds the derived name
 * @param namePrefix the fixed start of every derived name
 * @param hashLength how many base32 characters of SHA-256(reservation id) follow the prefix
 * @param directions the device's value for each direction
 * @param install the entry written by install
 * @param remove the entry written by remove
 * @param read where each value sits inside an entry, relative to the entry
 * @param listXpath an XPath select for list(), or empty for a subtree filter built from the entry path
 */
record DeviceModel(String name, String description, String module, Map<String, String> namespaces,
                   List<QName> entryPath, QName key, String namePrefix, int hashLength,
                   Map<Direction, String> directions, XmlTemplate install, XmlTemplate remove,
                   Map<Value, ReadField> read, String listXpath) {

    DeviceModel {
        namespaces = Map.copyOf(namespaces);
        entryPath = List.copyOf(entryPath);
        directions = Map.copyOf(directions);
        read = Map.copyOf(read);
    }

    /** A namespace-qualified element name as written in the model ({@code prefix:local}). */
    record QName(String prefix, String namespace, String localName) {
        @Override
        public String toString() {
            return prefix + ":" + localName;
        }
    }

    /**
     * Where one value sits inside an entry.
     *
     * @param path the element path below the entry
     * @param dflt the value to assume when the device leaves the leaf out, or null
     */
    record ReadField(List<QName> path, String dflt) {
        ReadField {
            path = List.copyOf(path);
        }
    }

    /** One entry as read from the device: its key and the values of the mapped leaves. */
    record Entry(String name, Map<Value, String> values) {
        Entry {
            values = Map.copyOf(values);
        }
    }

    /** The values a template can use and a read mapping can fill, named as in the model file. */
    enum Value {
        /** The reservation id. */
        ID("id", false),
        /** The entry's key: prefix plus hash of the id. */
        NAME("name", false),
        /** The Diameter Session-Id. */
        SESSION_ID("session-id", false),
        /** The pool on the device. */
        POOL("pool", false),
        /** The subscriber address, IPv4 or IPv6 literal. */
        SUBSCRIBER("subscriber", false),
        /** The direction, as the model's {@code directions} spell it. */
        DIRECTION("direction", false),
        /** The rate in bit/s. */
        RATE_BPS("rate-bps", true),
        /** The rate in kbit/s, rounded up. */
        RATE_KBPS("rate-kbps", true),
        /** The burst in bytes. */
        BURST_BYTES("burst-bytes", true),
        /** The DSCP, 0..63. */
        DSCP("dscp", true),
        /** The latency target in ms; absent when the reservation has none. */
        LATENCY_MS("latency-ms", true);

        final String key;
        final boolean numeric;

        Value(String key, boolean numeric) {
            this.key = key;
            this.numeric = numeric;
        }

        static Optional<Value> byKey(String key) {
            for (Value v : values()) {
                if (v.key.equals(key)) {
                    return Optional.of(v);
                }
            }
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ names and values

    /** The entry name for a reservation id: {@code namePrefix} + base32(SHA-256(id)), lower case. */
    String nameOf(String reservationId) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(reservationId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        return namePrefix + base32(digest).substring(0, hashLength);
    }

    private static String base32(byte[] bytes) {
        final String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder s = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                s.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            s.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return s.toString();
    }

    /** The value of {@code v} for a reservation, as a template writes it; null when absent. */
    String value(Value v, DeviceReservation r) {
        return switch (v) {
            case ID -> r.id();
            case NAME -> nameOf(r.id());
            case SESSION_ID -> r.sessionId();
            case POOL -> r.poolId();
            case SUBSCRIBER -> r.subscriberAddress();
            case DIRECTION -> directions.get(r.direction());
            case RATE_BPS -> Long.toString(r.rateBps());
            case RATE_KBPS -> Long.toString((r.rateBps() + 999) / 1000);
            case BURST_BYTES -> Long.toString(r.burstBytes());
            case DSCP -> Integer.toString(r.dscp());
            case LATENCY_MS -> r.maxLatencyMs() == null ? null : Integer.toString(r.maxLatencyMs());
        };
    }

    // ------------------------------------------------------------------ requests

    /**
     * The {@code <config>} element of an edit-config installing these reservations.
     *
     * @throws IllegalArgumentException when a value holds a character XML cannot carry
     */
    String installConfig(List<DeviceReservation> batch) {
        StringBuilder s = new StringBuilder("<config>");
        openContainers(s);
        for (DeviceReservation r : batch) {
            install.render(key -> Value.byKey(key).map(v -> value(v, r)).orElse(null), s);
        }
        closeContainers(s);
        return s.append("</config>").toString();
    }

    /**
     * The {@code <config>} element of an edit-config removing the entries of these ids.
     *
     * @throws IllegalArgumentException when an id holds a character XML cannot carry
     */
    String removeConfig(Collection<String> ids) {
        StringBuilder s = new StringBuilder("<config>");
        openContainers(s);
        for (String id : ids) {
            remove.render(key -> switch (key) {
                case "id" -> id;
                case "name" -> nameOf(id);
                default -> null;
            }, s);
        }
        closeContainers(s);
        return s.append("</config>").toString();
    }

    /** A subtree filter selecting the entries with these names. */
    String selectFilter(Collection<String> names) {
        StringBuilder s = new StringBuilder("<filter type=\"subtree\">");
        openContainers(s);
        QName entry = entryPath.getLast();
        String parentNs = entryPath.size() > 1 ? entryPath.get(entryPath.size() - 2).namespace() : "";
        for (String n : names) {
            s.append('<').append(entry.localName());
            if (!entry.namespace().equals(parentNs)) {
                s.append(" xmlns=\"").append(Xml.escape(entry.namespace())).append('"');
            }
            s.append("><").append(key.localName());
            if (!key.namespace().equals(entry.namespace())) {
                s.append(" xmlns=\"").append(Xml.escape(key.namespace())).append('"');
            }
            s.append('>').append(Xml.escape(n)).append("</").append(key.localName()).append("></")
                    .append(entry.localName()).append('>');
        }
        closeContainers(s);
        return s.append("</filter>").toString();
    }

    /** The filter that selects every entry of the model, for list(). */
    String listFilter() {
        if (!listXpath.isEmpty()) {
            StringBuilder s = new StringBuilder("<filter type=\"xpath\" select=\"").append(Xml.escape(listXpath)).append('"');
            namespaces.forEach((p, ns) -> s.append(" xmlns:").append(p).append("=\"").append(Xml.escape(ns)).append('"'));
            return s.append("/>").toString();
        }
        StringBuilder s = new StringBuilder("<filter type=\"subtree\">");
        openContainers(s);
        QName entry = entryPath.getLast();
        String parentNs = entryPath.size() > 1 ? entryPath.get(entryPath.size() - 2).namespace() : "";
        s.append('<').append(entry.localName());
        if (!entry.namespace().equals(parentNs)) {
            s.append(" xmlns=\"").append(Xml.escape(entry.namespace())).append('"');
        }
        s.append("/>");
        closeContainers(s);
        return s.append("</filter>").toString();
    }

    private void openContainers(StringBuilder s) {
        String parentNs = "";
        for (QName step : entryPath.subList(0, entryPath.size() - 1)) {
            s.append('<').append(step.localName());
            if (!step.namespace().equals(parentNs)) {
                s.append(" xmlns=\"").append(Xml.escape(step.namespace())).append('"');
            }
            s.append('>');
            parentNs = step.namespace();
        }
    }

    private void closeContainers(StringBuilder s) {
        for (QName step : entryPath.subList(0, entryPath.size() - 1).reversed()) {
            s.append("</").append(step.localName()).append('>');
        }
    }

    // ------------------------------------------------------------------ replies

    /** The entries under a {@code <data>} element, in document order. */
    List<Entry> entries(Element data) {
        List<Element> level = List.of(data);
        for (QName step : entryPath) {
            List<Element> next = new ArrayList<>();
            for (Element e : level) {
                next.addAll(Xml.children(e, step.namespace(), step.localName()));
            }
            level = next;
        }
        List<Entry> entries = new ArrayList<>();
        for (Element e : level) {
            String n = Xml.childText(e, key.namespace(), key.localName());
            if (n == null) {
                continue;
            }
            Map<Value, String> values = new EnumMap<>(Value.class);
            read.forEach((v, field) -> {
                String text = text(e, field.path());
                if (text == null) {
                    text = field.dflt();
                }
                if (text != null) {
                    values.put(v, text);
                }
            });
            entries.add(new Entry(n, values));
        }
        return entries;
    }

    private static String text(Element entry, List<QName> path) {
        Element e = entry;
        for (QName step : path) {
            e = Xml.child(e, step.namespace(), step.localName());
            if (e == null) {
                return null;
            }
        }
        return e.getTextContent().strip();
    }

    /**
     * True when the entry belongs to this server: its name is the one derived from the id it holds.
     * Other entries in the same list (interfaces configured by hand, say) are not ours.
     */
    boolean isOurs(Entry e) {
        String id = e.values().get(Value.ID);
        return id != null && e.name().equals(nameOf(id));
    }

    /**
     * How the entry on the device differs from the reservation, in the values the model reads
     * back; empty when they are the same.
     */
    Optional<String> difference(DeviceReservation wanted, Entry onDevice) {
        for (Map.Entry<Value, ReadField> f : read.entrySet()) {
            Value v = f.getKey();
            String want = value(v, wanted);
            String got = onDevice.values().get(v);
            if (!same(v, want, got)) {
                return Optional.of(v.key + " is " + (got == null ? "absent" : "'" + got + "'") + " on the device, "
                        + (want == null ? "absent" : "'" + want + "'") + " wanted");
            }
        }
        return Optional.empty();
    }

    private static boolean same(Value v, String want, String got) {
        if (want == null || got == null) {
            return want == null && got == null;
        }
        if (v.numeric) {
            try {
                return Long.parseLong(want) == Long.parseLong(got);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return want.equals(got);
    }

    /**
     * The reservation an entry of ours describes, or a reason why it cannot be read (a value the
     * mapping needs is missing or not a number).
     */
    Readback reservation(Entry e) {
        Map<Value, String> v = e.values();
        String id = v.get(Value.ID);
        Direction direction = null;
        for (Map.Entry<Direction, String> d : directions.entrySet()) {
            if (d.getValue().equals(v.get(Value.DIRECTION))) {
                direction = d.getKey();
            }
        }
        if (direction == null) {
            return new Readback(null, "entry " + e.name() + ": direction '" + v.get(Value.DIRECTION) + "' is none of "
                    + new LinkedHashMap<>(directions).values());
        }
        try {
            long rate = v.containsKey(Value.RATE_BPS) ? Long.parseLong(v.get(Value.RATE_BPS))
                    : Math.multiplyExact(Long.parseLong(v.get(Value.RATE_KBPS)), 1000L);
            long burst = v.containsKey(Value.BURST_BYTES) ? Long.parseLong(v.get(Value.BURST_BYTES)) : 0;
            int dscp = v.containsKey(Value.DSCP) ? Integer.parseInt(v.get(Value.DSCP)) : 0;
            Integer latency = v.containsKey(Value.LATENCY_MS) ? Integer.valueOf(v.get(Value.LATENCY_MS)) : null;
            return new Readback(new DeviceReservation(id, v.getOrDefault(Value.SESSION_ID, ""),
                    v.getOrDefault(Value.POOL, ""), direction, v.getOrDefault(Value.SUBSCRIBER, ""), rate, burst, dscp,
                    latency), "");
        } catch (NumberFormatException | ArithmeticException e2) {
            return new Readback(null, "entry " + e.name() + ": a number is not readable (" + e2.getMessage() + ")");
        } catch (IllegalArgumentException e2) {
            return new Readback(null, "entry " + e.name() + ": " + e2.getMessage());
        }
    }

    /** A reservation read back, or why it could not be. */
    record Readback(DeviceReservation reservation, String problem) {
    }

    @Override
    public String toString() {
        return "device model " + name + " (" + entryPath.stream().map(QName::toString).reduce((a, b) -> a + "/" + b)
                .map(p -> "/" + p).orElse("") + ")";
    }
}
