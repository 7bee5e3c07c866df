package org.arbiter.core.adapter;

import java.util.Map;
import java.util.Objects;

/**
 * The configuration section of one device, handed to its adapter's provider.
 *
 * <p>{@link #settings()} is the raw section (strings, numbers, booleans, lists and maps as parsed
 * from YAML). The adapter validates it in {@link DeviceAdapterProvider#create} and reports a
 * mistake with {@link AdapterConfigException}, naming the key path under {@link #path()}.
 *
 * @param deviceId the device id the topology refers to
 * @param path the configuration path of this section, e.g. {@code devices[2]}
 * @param settings the adapter-specific keys
 */
public record AdapterConfig(String deviceId, String path, Map<String, Object> settings) {
    public AdapterConfig {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(path, "path");
        settings = Map.copyOf(settings);
    }

    /** A required string setting. */
    public String requireString(String key) {
        Object v = settings.get(key);
        if (v == null) {
            throw new AdapterConfigException(path + "." + key, null, "a value is required");
        }
        if (!(v instanceof String s)) {
            throw new AdapterConfigException(path + "." + key, v, "a string");
        }
        return s;
    }

    /** An optional string setting. */
    public String string(String key, String dflt) {
        Object v = settings.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof String s)) {
            throw new AdapterConfigException(path + "." + key, v, "a string");
        }
        return s;
    }

    /** An optional integer setting within [min, max]. */
    public long integer(String key, long dflt, long min, long max) {
        Object v = settings.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new AdapterConfigException(path + "." + key, v, "an integer in [" + min + ", " + max + "]");
        }
        long l = n.longValue();
        if (l < min || l > max) {
            throw new AdapterConfigException(path + "." + key, v, "an integer in [" + min + ", " + max + "]");
        }
        return l;
    }

    /** An optional boolean setting. */
    public boolean bool(String key, boolean dflt) {
        Object v = settings.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean b)) {
            throw new AdapterConfigException(path + "." + key, v, "true or false");
        }
        return b;
    }

    /** Fails when the section has a key outside {@code allowed}. */
    public void rejectUnknownKeys(java.util.Set<String> allowed) {
        for (String k : settings.keySet()) {
            if (!allowed.contains(k)) {
                throw new AdapterConfigException(path + "." + k, settings.get(k),
                        "one of the keys " + new java.util.TreeSet<>(allowed));
            }
        }
    }
}
