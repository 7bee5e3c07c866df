package org.arbiter.adapter.netconf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.AdapterConfigException;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceAdapterProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code netconf} device protocol: NETCONF (RFC 6241) over SSH (RFC 6242), with the mapping
 * of reservations onto the device's YANG model taken from a device model file.
 *
 * <p>Configuration section:
 * <pre>
 * host:                  required; name or address
 * port:                  830        1..65535
 * username:              required
 * password:              secret; password authentication      } at least one of the two
 * private-key:           path of an OpenSSH or PEM private key } (RSA, ECDSA)
 * private-key-passphrase: secret; only with an encrypted private-key
 * known-hosts:           path of an OpenSSH known_hosts file; required unless host-key-verification is false
 * host-key-verification: true       false accepts any host key (logged at WARN)
 * datastore:             auto       auto | candidate | running
 * confirmed-commit:      true       use a confirmed commit when the device offers :confirmed-commit
 * confirm-timeout-s:     60         1..3600; how long the device waits for the confirming commit
 * connect-timeout-ms:    5000       1..600000; TCP, SSH handshake, authentication and hello
 * timeout-ms:            10000      1..600000; the wait for one rpc-reply
 * model:                 arbiter-qos  a shipped model or the name of a file NAME.yaml in model-dir
 * model-dir:             directory of device model files, searched before the shipped models
 * </pre>
 * Every value is checked here, files included (the private key is loaded, known_hosts parsed, the
 * model read and its templates parsed); the device is not contacted. A mistake is an
 * {@link AdapterConfigException} naming the key path.
 *
 * <p><b>Threading.</b> Stateless; {@link #create} may be called from any thread.
 */
public final class NetconfAdapterProvider implements DeviceAdapterProvider {

    /** The protocol name devices use in the configuration. */
    public static final String NAME = "netconf";

    private static final Logger LOG = LoggerFactory.getLogger(NetconfAdapterProvider.class);

    static final Set<String> KEYS = Set.of("host", "port", "username", "password", "private-key",
            "private-key-passphrase", "known-hosts", "host-key-verification", "datastore", "confirmed-commit",
            "confirm-timeout-s", "connect-timeout-ms", "timeout-ms", "model", "model-dir");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public DeviceAdapter create(AdapterConfig config) {
        NetconfSettings settings = settings(config);
        if (!settings.hostKeyVerification()) {
            LOG.warn("{}: host key verification is off for {}: any server can pose as this device",
                    config.deviceId(), settings.target());
        }
        LOG.debug("{}: {}", config.deviceId(), settings);
        return new NetconfDevice(settings);
    }

    /** Validates a configuration section. */
    static NetconfSettings settings(AdapterConfig config) {
        config.rejectUnknownKeys(KEYS);
        String path = config.path();
        String host = config.requireString("host").strip();
        if (host.isEmpty()) {
            throw new AdapterConfigException(path + ".host", config.settings().get("host"), "a host name or address");
        }
        int port = (int) config.integer("port", 830, 1, 65535);
        String username = config.requireString("username");
        if (username.isBlank()) {
            throw new AdapterConfigException(path + ".username", username, "a user name");
        }
        String password = config.string("password", null);
        Path keyFile = optionalPath(config, "private-key");
        String passphrase = config.string("private-key-passphrase", null);
        if (password == null && keyFile == null) {
            throw new AdapterConfigException(path + ".password", null, "password or private-key (or both)");
        }
        if (passphrase != null && keyFile == null) {
            throw new AdapterConfigException(path + ".private-key-passphrase", passphrase, "only together with private-key");
        }
        List<KeyPair> keys = keyFile == null ? List.of() : keys(path + ".private-key", keyFile, passphrase);
        boolean verify = config.bool("host-key-verification", true);
        Path knownHosts = optionalPath(config, "known-hosts");
        if (verify) {
            if (knownHosts == null) {
                throw new AdapterConfigException(path + ".known-hosts", null,
                        "the path of a known_hosts file (or host-key-verification: false, which accepts any host key)");
            }
            checkKnownHosts(path + ".known-hosts", knownHosts);
        } else if (knownHosts != null) {
            throw new AdapterConfigException(path + ".known-hosts", knownHosts,
                    "no known-hosts when host-key-verification is false");
        }
        NetconfSettings.Datastore datastore = datastore(config);
        boolean confirmedCommit = config.bool("confirmed-commit", true);
        Duration confirmTimeout = Duration.ofSeconds(config.integer("confirm-timeout-s", 60, 1, 3600));
        Duration connectTimeout = Duration.ofMillis(config.integer("connect-timeout-ms", 5000, 1, 600_000));
        Duration rpcTimeout = Duration.ofMillis(config.integer("timeout-ms", 10_000, 1, 600_000));
        Path modelDir = optionalPath(config, "model-dir");
        if (modelDir != null && !Files.isDirectory(modelDir)) {
            throw new AdapterConfigException(path + ".model-dir", modelDir, "an existing directory of device model files");
        }
        String modelName = config.string("model", "arbiter-qos");
        DeviceModel model;
        try {
            model = DeviceModelReader.load(modelName, modelDir);
        } catch (DeviceModelException e) {
            throw new AdapterConfigException(path + ".model", modelName, "a usable device model (" + e.getMessage() + ")");
        }
        return new NetconfSettings(config.deviceId(), host, port, username, password, keyFile, keys, knownHosts, verify,
                datastore, confirmedCommit, confirmTimeout, connectTimeout, rpcTimeout, model);
    }

    private static Path optionalPath(AdapterConfig config, String key) {
        String v = config.string(key, null);
        if (v == null) {
            return null;
        }
        if (v.isBlank()) {
            throw new AdapterConfigException(config.path() + "." + key, v, "a file system path");
        }
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new AdapterConfigException(config.path() + "." + key, v, "a file system path (" + e.getReason() + ")");
        }
    }

    private static List<KeyPair> keys(String keyPath, Path file, String passphrase) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new AdapterConfigException(keyPath, file, "a readable private key file");
        }
        List<KeyPair> keys = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in,
                    passphrase == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(passphrase));
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new AdapterConfigException(keyPath, file, "an OpenSSH or PEM private key this JVM can read (RSA, ECDSA; "
                    + "encrypted keys need private-key-passphrase): " + e.getClass().getSimpleName());
        }
        if (keys.isEmpty()) {
            throw new AdapterConfigException(keyPath, file, "a file holding a private key");
        }
        return keys;
    }

    private static void checkKnownHosts(String keyPath, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new AdapterConfigException(keyPath, file, "a readable known_hosts file");
        }
        try {
            KnownHostEntry.readKnownHostEntries(file);
        } catch (IOException | RuntimeException e) {
            throw new AdapterConfigException(keyPath, file, "a known_hosts file in OpenSSH format (" + e.getMessage() + ")");
        }
    }

    private static NetconfSettings.Datastore datastore(AdapterConfig config) {
        String v = config.string("datastore", "auto");
        try {
            return NetconfSettings.Datastore.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AdapterConfigException(config.path() + ".datastore", v, "one of auto, candidate, running");
        }
    }
}
