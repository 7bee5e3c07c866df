package org.arbiter.adapter.snmp;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.AdapterConfigException;

/**
 * One SNMP device's validated configuration section. {@link #toString()} never shows a secret.
 *
 * @param host the agent's host name or address literal
 * @param port the agent's UDP port
 * @param version SNMPv2c or SNMPv3
 * @param community the v2c community (a secret), or null for v3
 * @param user the v3 USM user, or null for v2c
 * @param securityLevel authPriv or authNoPriv (v3)
 * @param auth the v3 authentication protocol
 * @param authPassphrase the v3 authentication passphrase (a secret)
 * @param priv the v3 privacy protocol, or null for authNoPriv
 * @param privPassphrase the v3 privacy passphrase (a secret), or null
 * @param contextName the v3 context name
 * @param retries retransmissions within a call's timeout
 * @param maxPduBytes the largest request sent, in bytes (BER, estimated)
 * @param maxVarbinds the most variable bindings in one request
 * @param model the device model
 */
record SnmpSettings(String host, int port, Version version, String community, String user,
        SecurityLevel securityLevel, Auth auth, String authPassphrase, Priv priv, String privPassphrase,
        String contextName, int retries, int maxPduBytes, int maxVarbinds, DeviceModel model) {

    static final Set<String> KEYS = Set.of("host", "port", "version", "community", "user", "security-level",
            "auth-protocol", "auth-passphrase", "priv-protocol", "priv-passphrase", "context-name", "model",
            "model-dir", "retries", "max-pdu-bytes", "max-varbinds");

    private static final Set<String> V3_KEYS = Set.of("user", "security-level", "auth-protocol", "auth-passphrase",
            "priv-protocol", "priv-passphrase", "context-name");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]{1,253}");

    /** SNMP versions. */
    enum Version { V2C, V3 }

    /** SNMPv3 security levels that are allowed (noAuthNoPriv is not). */
    enum SecurityLevel { AUTH_PRIV, AUTH_NO_PRIV }

    /** USM authentication protocols (RFC 3414, RFC 7860). */
    enum Auth {
        SHA("sha"), SHA224("sha224"), SHA256("sha256"), SHA384("sha384"), SHA512("sha512");

        final String configName;

        Auth(String configName) {
            this.configName = configName;
        }
    }

    /** USM privacy protocols (RFC 3826 and its 192/256-bit key extension). */
    enum Priv {
        AES128("aes128"), AES192("aes192"), AES256("aes256");

        final String configName;

        Priv(String configName) {
            this.configName = configName;
        }
    }

    /**
     * Validates a section.
     *
     * @throws AdapterConfigException naming the key path, the value (never a secret) and what is allowed
     */
    static SnmpSettings from(AdapterConfig c) {
        c.rejectUnknownKeys(KEYS);
        String host = c.requireString("host");
        if (!HOST.matcher(host).matches()) {
            throw new AdapterConfigException(c.path() + ".host", host, "a host name or an IPv4/IPv6 address literal");
        }
        int port = (int) c.integer("port", 161, 1, 65535);
        Version version = version(c);
        int retries = (int) c.integer("retries", 1, 0, 5);
        int maxPduBytes = (int) c.integer("max-pdu-bytes", 1400, 484, 65507);
        int maxVarbinds = (int) c.integer("max-varbinds", 60, 1, 1000);
        DeviceModel model = model(c);
        if (version == Version.V2C) {
            for (String k : V3_KEYS) {
                if (c.settings().containsKey(k)) {
                    throw new AdapterConfigException(c.path() + "." + k, masked(k, c.settings().get(k)),
                            "no " + k + " with version 2c (it is an SNMPv3 setting)");
                }
            }
            String community = secret(c, "community", 1, 255);
            return new SnmpSettings(host, port, version, community, null, null, null, null, null, null, "",
                    retries, maxPduBytes, maxVarbinds, model);
        }
        if (c.settings().containsKey("community")) {
            throw new AdapterConfigException(c.path() + ".community", "***", "no community with version 3 (use user and passphrases)");
        }
        String user = c.requireString("user");
        if (user.isEmpty() || user.length() > 32) {
            throw new AdapterConfigException(c.path() + ".user", user, "1 to 32 characters (SnmpAdminString)");
        }
        SecurityLevel level = switch (c.string("security-level", "authPriv")) {
            case "authPriv" -> SecurityLevel.AUTH_PRIV;
            case "authNoPriv" -> SecurityLevel.AUTH_NO_PRIV;
            default -> throw new AdapterConfigException(c.path() + ".security-level", c.settings().get("security-level"),
                    "authPriv or authNoPriv (noAuthNoPriv is not supported)");
        };
        Auth auth = choice(c, "auth-protocol", Auth.SHA256, Auth.values(), a -> a.configName);
        String authPassphrase = secret(c, "auth-passphrase", 8, 256);
        Priv priv = null;
        String privPassphrase = null;
        if (level == SecurityLevel.AUTH_PRIV) {
            priv = choice(c, "priv-protocol", Priv.AES128, Priv.values(), p -> p.configName);
            privPassphrase = secret(c, "priv-passphrase", 8, 256);
        } else {
            for (String k : Set.of("priv-protocol", "priv-passphrase")) {
                if (c.settings().containsKey(k)) {
                    throw new AdapterConfigException(c.path() + "." + k, masked(k, c.settings().get(k)),
                            "no " + k + " with security-level authNoPriv");
                }
            }
        }
        String contextName = c.string("context-name", "");
        if (contextName.length() > 32) {
            throw new AdapterConfigException(c.path() + ".context-name", contextName, "at most 32 characters");
        }
        return new SnmpSettings(host, port, version, null, user, level, auth, authPassphrase, priv, privPassphrase,
                contextName, retries, maxPduBytes, maxVarbinds, model);
    }

    private static Version version(AdapterConfig c) {
        Object v = c.settings().get("version");
        if (v == null) {
            return Version.V3;
        }
        String s = String.valueOf(v);
        return switch (s) {
            case "3" -> Version.V3;
            case "2c" -> Version.V2C;
            default -> throw new AdapterConfigException(c.path() + ".version", v, "3 or 2c");
        };
    }

    private static DeviceModel model(AdapterConfig c) {
        String name = c.requireString("model");
        if (!DeviceModelReader.MODEL_NAME.matcher(name).matches()) {
            throw new AdapterConfigException(c.path() + ".model", name, "a model name matching " + DeviceModelReader.MODEL_NAME.pattern());
        }
        Path dir = null;
        String dirText = c.string("model-dir", null);
        if (dirText != null) {
            try {
                dir = Path.of(dirText);
            } catch (InvalidPathException e) {
                throw new AdapterConfigException(c.path() + ".model-dir", dirText, "a directory path");
            }
            if (!Files.isDirectory(dir)) {
                throw new AdapterConfigException(c.path() + ".model-dir", dirText, "an existing directory of <model>.yaml files");
            }
        }
        DeviceModel model;
        try {
            model = DeviceModelReader.load(name, dir);
        } catch (DeviceModelException e) {
            throw new AdapterConfigException(c.path() + ".model", name, "a valid device model, but " + e.getMessage());
        }
        if (model == null) {
            throw new AdapterConfigException(c.path() + ".model", name, "one of the shipped models "
                    + DeviceModelReader.SHIPPED_MODELS + (dir == null ? "" : " or a file " + dir.resolve(name + ".yaml")));
        }
        return model;
    }

    private static String secret(AdapterConfig c, String key, int min, int max) {
        Object v = c.settings().get(key);
        if (v == null) {
            throw new AdapterConfigException(c.path() + "." + key, null, "a value is required");
        }
        if (!(v instanceof String s) || s.length() < min || s.length() > max) {
            throw new AdapterConfigException(c.path() + "." + key, "***", "a string of " + min + " to " + max + " characters");
        }
        return s;
    }

    private static Object masked(String key, Object value) {
        return key.contains("passphrase") || key.equals("community") ? "***" : value;
    }

    private static <E> E choice(AdapterConfig c, String key, E dflt, E[] values, java.util.function.Function<E, String> name) {
        Object v = c.settings().get(key);
        if (v == null) {
            return dflt;
        }
        String s = String.valueOf(v).toLowerCase(Locale.ROOT);
        for (E e : values) {
            if (name.apply(e).equals(s)) {
                return e;
            }
        }
        throw new AdapterConfigException(c.path() + "." + key, v,
                "one of " + Arrays.stream(values).map(name).collect(Collectors.joining(", ")));
    }

    /** The security name shown in logs and details: the v3 user, or "community" for v2c. */
    String principal() {
        return version == Version.V3 ? "user " + user : "community ***";
    }

    @Override
    public String toString() {
        return "SnmpSettings[" + host + ":" + port + ", " + (version == Version.V3 ? "SNMPv3 " + securityLevel + " " + principal()
                + " " + auth + "/" + priv : "SNMPv2c") + ", model " + model.name() + ", retries " + retries
                + ", max-pdu-bytes " + maxPduBytes + ", max-varbinds " + maxVarbinds + "]";
    }
}
