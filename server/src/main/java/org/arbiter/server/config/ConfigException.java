package org.arbiter.server.config;

/**
 * A configuration mistake. The message names the file and line when known, the key path, the
 * value given (masked for secrets) and what is allowed. Startup stops on it.
 */
public final class ConfigException extends RuntimeException {

    private final String keyPath;

    public ConfigException(String location, String keyPath, String problem) {
        super((location == null ? "" : location + ": ") + keyPath + ": " + problem);
        this.keyPath = keyPath;
    }

    /** The dotted key path of the offending key, e.g. {@code diameter.peers[0].port}. */
    public String keyPath() {
        return keyPath;
    }

    /** True when a key's value must never be shown (passwords, tokens, passphrases). */
    static boolean secret(String keyPath) {
        String k = keyPath.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("token") || k.contains("secret") || k.contains("passphrase");
    }
}
