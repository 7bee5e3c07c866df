package org.arbiter.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole server configuration, validated and immutable ("sealed"): every value here has passed
 * its checks, and nothing changes it while the server runs. {@code arbiter.sample.yaml} documents
 * every key with its default and range.
 *
 * @param nodeId this node's name (logs, CDR ids, metrics)
 * @param diameter the Diameter Rx front end
 * @param ledger the reservation ledger
 * @param policy the policy files
 * @param engine timers and limits of the PDP engine
 * @param devices the enforcing devices and their adapters
 * @param admin the admin HTTP API
 * @param cdr billing record export
 */
public record ArbiterConfig(
        String nodeId,
        Diameter diameter,
        Ledger ledger,
        Policy policy,
        Engine engine,
        List<Device> devices,
        Admin admin,
        Cdr cdr) {

    public ArbiterConfig {
        devices = List.copyOf(devices);
    }

    /** The Diameter front end. */
    public record Diameter(
            String originHost,
            String originRealm,
            String listenAddress,
            int port,
            Tls tls,
            List<Peer> peers,
            Duration watchdogInterval,
            int maxInFlight,
            int handlerConcurrency,
            Duration queueDeadline,
            Duration requestTimeout,
            int maxMessageBytes) {
        public Diameter {
            peers = List.copyOf(peers);
        }
    }

    /** TLS for Diameter (RFC 6733 §13). */
    public record Tls(boolean enabled, int port, Path certificate, Path privateKey, Path trustedCertificates) {}

    /**
     * An allowed Diameter peer.
     *
     * @param originHost the peer's Origin-Host (the allow-list key)
     * @param address the address it must come from, or {@code null} for any
     * @param connect true when this server connects to it (for RAR/ASR when it does not connect)
     * @param port the port to connect to
     */
    public record Peer(String originHost, String address, boolean connect, int port) {}

    /**
     * The ledger.
     *
     * @param url JDBC URL (H2 file by default, or PostgreSQL)
     * @param user database user
     * @param password database password (never logged)
     * @param poolSize connection pool size
     * @param topology the topology file
     */
    public record Ledger(String url, String user, String password, int poolSize, boolean journal, Path topology) {
        @Override
        public String toString() {
            return "Ledger[url=" + url + ", user=" + user + ", password=***, poolSize=" + poolSize + ", journal=" + journal
                    + ", topology=" + topology + "]";
        }

        /** The connection settings of the ledger database, with {@code connections} connections. */
        public org.arbiter.ledger.LedgerConfig connection(int connections) {
            return org.arbiter.ledger.LedgerConfig.of(url, user, password).withMaxPoolSize(connections);
        }
    }

    /** The policy directory and whether it is watched for changes. */
    public record Policy(Path dir, boolean watch) {}

    /** Engine timers and limits. */
    public record Engine(
            Duration reserveTimeout,
            Duration defaultAuthorizationLifetime,
            Duration maxAuthorizationLifetime,
            Duration deviceTimeout,
            Duration expiryInterval,
            Duration reconcileInterval) {}

    /**
     * One enforcing device.
     *
     * @param id the device id the topology names
     * @param adapter the adapter provider name
     * @param path the configuration path of this entry (for the adapter's error messages)
     * @param settings the adapter's own section, validated by the adapter
     */
    public record Device(String id, String adapter, String path, Map<String, Object> settings) {
        public Device {
            settings = Map.copyOf(settings);
        }

        @Override
        public String toString() {
            return "Device[id=" + id + ", adapter=" + adapter + "]";
        }
    }

    /** The admin HTTP API. The token is never logged. */
    public record Admin(boolean enabled, String listenAddress, int port, String token) {
        @Override
        public String toString() {
            return "Admin[enabled=" + enabled + ", listen=" + listenAddress + ":" + port + ", token=***]";
        }
    }

    /** Billing record files. */
    public record Cdr(Path dir, String format, long rotateBytes, Duration rotateInterval, Duration interimInterval) {}
}
