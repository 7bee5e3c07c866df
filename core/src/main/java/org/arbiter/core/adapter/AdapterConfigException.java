package org.arbiter.core.adapter;

/**
 * A device configuration mistake found at startup. The message names the key path, the value
 * given and what is allowed. Secrets are never echoed: a key whose name contains
 * {@code password}, {@code secret}, {@code passphrase} or {@code key} shows {@code ***}.
 */
public final class AdapterConfigException extends IllegalArgumentException {

    private final String keyPath;

    public AdapterConfigException(String keyPath, Object value, String allowed) {
        super(keyPath + ": " + (value == null ? "missing" : "invalid value " + shown(keyPath, value))
                + "; expected " + allowed);
        this.keyPath = keyPath;
    }

    private static String shown(String keyPath, Object value) {
        String k = keyPath.toLowerCase(java.util.Locale.ROOT);
        if (k.contains("password") || k.contains("secret") || k.contains("passphrase") || k.endsWith("key")) {
            return "'***'";
        }
        return "'" + value + "'";
    }

    /** The configuration path of the offending key. */
    public String keyPath() {
        return keyPath;
    }
}
