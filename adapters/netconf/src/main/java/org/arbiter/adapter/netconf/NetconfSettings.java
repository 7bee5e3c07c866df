package org.arbiter.adapter.netconf;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One device's validated configuration section (see {@link NetconfAdapterProvider} for the keys).
 *
 * @param deviceId the device id
 * @param host host name or address
 * @param port SSH port
 * @param username SSH user
 * @param password the password, or null for key authentication only
 * @param privateKey the private key file, or null
 * @param keys the key pairs loaded from {@code privateKey} (empty without one)
 * @param knownHosts the known_hosts file, or null when host key verification is off
 * @param hostKeyVerification false only when explicitly turned off
 * @param datastore where edits go
 * @param confirmedCommit use a confirmed commit when the device offers it
 * @param confirmTimeout how long the device waits for the confirming commit
 * @param connectTimeout bound on TCP connect, SSH handshake, authentication and hello
 * @param rpcTimeout bound on the wait for one rpc-reply
 * @param model the device model
 */
record NetconfSettings(String deviceId, String host, int port, String username, String password, Path privateKey,
                       List<KeyPair> keys, Path knownHosts, boolean hostKeyVerification, Datastore datastore,
                       boolean confirmedCommit, Duration confirmTimeout, Duration connectTimeout, Duration rpcTimeout,
                       DeviceModel model) {

    /** Which configuration datastore the adapter edits. */
    enum Datastore {
        /** candidate when the device advertises :candidate, else running with :writable-running. */
        AUTO,
        /** edit the candidate, then commit. */
        CANDIDATE,
        /** edit running directly. */
        RUNNING;

        /** The datastore's element name in RPCs ({@code candidate}, {@code running}). */
        String element() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    NetconfSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        keys = List.copyOf(keys);
        Objects.requireNonNull(datastore, "datastore");
        Objects.requireNonNull(model, "model");
    }

    /** "user@host:port", for messages. */
    String target() {
        return username + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "NetconfSettings[" + target() + ", auth=" + (password != null ? "password" : "")
                + (privateKey != null ? (password != null ? "+" : "") + "key " + privateKey : "")
                + ", known-hosts=" + (hostKeyVerification ? knownHosts : "off") + ", datastore="
                + datastore.element() + ", model=" + model.name() + "]";
    }
}
