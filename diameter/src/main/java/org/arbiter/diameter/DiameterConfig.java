package org.arbiter.diameter;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The settings of the Diameter front end, validated when built: a bad value fails with an
 * {@link IllegalArgumentException} naming the key ({@code diameter.<key>}), the value and what is
 * allowed. Immutable.
 *
 * @param originHost our Origin-Host (DiameterIdentity: an FQDN, or an IP literal, which Kamailio
 *     5.6 needs when its cdp names the PDP by address, because it matches ASRs by that name)
 * @param originRealm our Origin-Realm
 * @param listenAddress the address the TCP (and TLS) listeners bind to
 * @param listenPort the plain TCP port: 0 picks a free one, -1 opens no plain listener
 * @param tls TLS/TCP settings (RFC 6733 §13), or {@code null} for none
 * @param allowedPeers the peers that may connect, by Origin-Host (and optionally address);
 *     configured {@code connectPeers} are allowed as well
 * @param connectPeers the peers this node connects to itself (reconnecting with backoff)
 * @param watchdogInterval Tw of RFC 3539, 1 s .. 1 h (RFC 3539 recommends 30 s; not below 6 s
 *     in production)
 * @param maxMessageSize the largest message accepted, 64 .. 16777215 bytes
 * @param maxInFlight Rx requests accepted at once, in the handler or waiting for it; above it
 *     requests get DIAMETER_TOO_BUSY (3004) at once; also the bound of each peer's table of
 *     requests awaiting an answer
 * @param vendorId our Vendor-Id in CER/CEA
 * @param productName our Product-Name in CER/CEA
 * @param requestTimeout how long a request we send (CER, DWR, DPR, RAR, ASR) waits for its answer
 * @param handlerConcurrency handler calls running at once, 1 .. {@code maxInFlight}; the other
 *     accepted requests wait for one of them in arrival order
 * @param queueDeadline how long an accepted request may wait for a handler call, 10 ms .. 5 min;
 *     one that waited longer gets DIAMETER_TOO_BUSY (3004) without the handler (its peer has
 *     given up on it, or soon will: Kamailio's cdp waits 5 s)
 */
public record DiameterConfig(
        String originHost,
        String originRealm,
        String listenAddress,
        int listenPort,
        TlsConfig tls,
        List<AllowedPeer> allowedPeers,
        List<ConnectPeer> connectPeers,
        Duration watchdogInterval,
        int maxMessageSize,
        int maxInFlight,
        int vendorId,
        String productName,
        Duration requestTimeout,
        int handlerConcurrency,
        Duration queueDeadline) {

    /** The IANA port of Diameter over TCP. */
    public static final int DEFAULT_PORT = 3868;
    /** The IANA port of Diameter over TLS/TCP (RFC 6733 §13). */
    public static final int DEFAULT_TLS_PORT = 5658;

    private static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.:_-]*[A-Za-z0-9])?");

    public DiameterConfig {
        identity("origin-host", originHost);
        identity("origin-realm", originRealm);
        address("listen-address", listenAddress);
        check(listenPort >= -1 && listenPort <= 65535, "listen-port", listenPort, "-1 (no plain listener), 0 (any free port) or 1..65535");
        allowedPeers = List.copyOf(Objects.requireNonNull(allowedPeers, "diameter.allowed-peers"));
        connectPeers = List.copyOf(Objects.requireNonNull(connectPeers, "diameter.connect-peers"));
        for (int i = 0; i < allowedPeers.size(); i++) {
            AllowedPeer p = allowedPeers.get(i);
            identity("allowed-peers[" + i + "].host", p.host());
            if (p.address() != null) {
                address("allowed-peers[" + i + "].address", p.address());
            }
        }
        for (int i = 0; i < connectPeers.size(); i++) {
            ConnectPeer p = connectPeers.get(i);
            identity("connect-peers[" + i + "].host", p.host());
            address("connect-peers[" + i + "].address", p.address());
            check(p.port() >= 1 && p.port() <= 65535, "connect-peers[" + i + "].port", p.port(), "1..65535");
            check(!p.tls() || tls != null, "connect-peers[" + i + "].tls", true, "true only when diameter.tls is configured");
        }
        check(watchdogInterval != null && watchdogInterval.compareTo(Duration.ofSeconds(1)) >= 0
                && watchdogInterval.compareTo(Duration.ofHours(1)) <= 0, "watchdog-interval", watchdogInterval, "1s..1h");
        check(maxMessageSize >= 64 && maxMessageSize <= 0xFFFFFF, "max-message-size", maxMessageSize, "64..16777215 bytes");
        check(maxInFlight >= 1 && maxInFlight <= 1_000_000, "max-in-flight", maxInFlight, "1..1000000");
        check(vendorId >= 0, "vendor-id", vendorId, "0..2147483647");
        check(productName != null && !productName.isBlank(), "product-name", productName, "a non-empty name");
        check(requestTimeout != null && requestTimeout.compareTo(Duration.ofMillis(100)) >= 0
                && requestTimeout.compareTo(Duration.ofMinutes(5)) <= 0, "request-timeout", requestTimeout, "100ms..5m");
        check(handlerConcurrency >= 1 && handlerConcurrency <= maxInFlight, "handler-concurrency", handlerConcurrency,
                "1..max-in-flight (" + maxInFlight + ")");
        check(queueDeadline != null && queueDeadline.compareTo(Duration.ofMillis(10)) >= 0
                && queueDeadline.compareTo(Duration.ofMinutes(5)) <= 0, "queue-deadline", queueDeadline, "10ms..5m");
        check(listenPort >= 0 || tls != null || !connectPeers.isEmpty(), "listen-port", listenPort,
                "-1 only with diameter.tls or diameter.connect-peers (otherwise no peer could reach us)");
    }

    /**
     * The settings without {@code handlerConcurrency} and {@code queueDeadline}: every accepted
     * request gets a handler call at once (no queue), and the deadline is the default 4 s.
     */
    public DiameterConfig(String originHost, String originRealm, String listenAddress, int listenPort, TlsConfig tls,
            List<AllowedPeer> allowedPeers, List<ConnectPeer> connectPeers, Duration watchdogInterval, int maxMessageSize,
            int maxInFlight, int vendorId, String productName, Duration requestTimeout) {
        this(originHost, originRealm, listenAddress, listenPort, tls, allowedPeers, connectPeers, watchdogInterval, maxMessageSize,
                maxInFlight, vendorId, productName, requestTimeout, maxInFlight, DEFAULT_QUEUE_DEADLINE);
    }

    /** The default handler concurrency (a few times a ledger's connection pool of 10). */
    public static final int DEFAULT_HANDLER_CONCURRENCY = 64;
    /** The default queue deadline: below the 5 s a P-CSCF's cdp waits for an answer. */
    public static final Duration DEFAULT_QUEUE_DEADLINE = Duration.ofSeconds(4);

    /**
     * A builder with the defaults: port 3868 on all addresses, Tw 30 s, 64 KiB, 256 in flight of
     * which 64 in the handler at once, queue deadline 4 s, 5 s timeout.
     */
    public static Builder builder(String originHost, String originRealm) {
        return new Builder(originHost, originRealm);
    }

    /** True when {@code host} may connect from {@code from} (configured peers are allowed too). */
    public boolean allows(String host, InetAddress from) {
        for (AllowedPeer p : allowedPeers) {
            if (p.host().equalsIgnoreCase(host) && (p.address() == null || sameAddress(p.address(), from))) {
                return true;
            }
        }
        for (ConnectPeer p : connectPeers) {
            if (p.host().equalsIgnoreCase(host)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameAddress(String literal, InetAddress from) {
        try {
            return from != null && InetAddress.getByName(literal).equals(from);
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static void identity(String key, String value) {
        check(value != null && value.length() <= 255 && IDENTITY.matcher(value).matches(), key, value,
                "a DiameterIdentity: an FQDN or IP literal of letters, digits, '.', '-', '_' and ':'");
    }

    private static void address(String key, String value) {
        check(value != null && !value.isBlank(), key, value, "an IP address or host name");
    }

    static void check(boolean ok, String key, Object value, String allowed) {
        if (!ok) {
            throw new IllegalArgumentException("diameter." + key + ": '" + value + "' is not allowed; allowed: " + allowed);
        }
    }

    /**
     * A peer that may connect.
     *
     * @param host its Origin-Host (compared case-insensitively)
     * @param address the only source address it may connect from, or {@code null} for any
     */
    public record AllowedPeer(String host, String address) {
        public static AllowedPeer of(String host) {
            return new AllowedPeer(host, null);
        }
    }

    /**
     * A peer this node connects to. Its CEA must carry this Origin-Host.
     *
     * @param host the peer's Origin-Host
     * @param address where it listens
     * @param port its port
     * @param tls true to connect with TLS/TCP (needs {@link DiameterConfig#tls()})
     */
    public record ConnectPeer(String host, String address, int port, boolean tls) {}

    /**
     * TLS/TCP (RFC 6733 §13): TLS starts right after the TCP connection, on its own port; peers
     * must present a certificate the trust material verifies, whose DNS name or CN is the peer's
     * Origin-Host. Give either a PKCS#12/JKS {@code keyStore} or PEM {@code certificateChain} and
     * {@code privateKey} (PKCS#8), and either a {@code trustStore} or PEM {@code trustCertificates}.
     *
     * @param port the TLS listening port: 0 picks a free one, -1 opens no TLS listener (client only)
     * @param keyStore key store with our key and certificate, or {@code null}
     * @param keyStorePassword its password (never logged)
     * @param certificateChain PEM certificate chain, or {@code null}
     * @param privateKey PEM PKCS#8 private key, or {@code null}
     * @param trustStore trust store, or {@code null}
     * @param trustStorePassword its password (never logged)
     * @param trustCertificates PEM certificates to trust, or {@code null}
     */
    public record TlsConfig(
            int port,
            Path keyStore,
            String keyStorePassword,
            Path certificateChain,
            Path privateKey,
            Path trustStore,
            String trustStorePassword,
            Path trustCertificates) {

        public TlsConfig {
            check(port >= -1 && port <= 65535, "tls.port", port, "-1 (no TLS listener), 0 (any free port) or 1..65535");
            check((keyStore != null) != (certificateChain != null || privateKey != null), "tls.key-store", keyStore,
                    "either tls.key-store or tls.certificate-chain with tls.private-key, not both");
            check(keyStore != null || (certificateChain != null && privateKey != null), "tls.private-key", privateKey,
                    "a PEM file together with tls.certificate-chain");
            check((trustStore != null) != (trustCertificates != null), "tls.trust-store", trustStore,
                    "either tls.trust-store or tls.trust-certificates, not both");
            for (var e : new Object[][] {{"tls.key-store", keyStore}, {"tls.certificate-chain", certificateChain},
                    {"tls.private-key", privateKey}, {"tls.trust-store", trustStore}, {"tls.trust-certificates", trustCertificates}}) {
                Path p = (Path) e[1];
                check(p == null || Files.isReadable(p), (String) e[0], p, "a readable file");
            }
        }

        /** TLS with a key store and a trust store. */
        public static TlsConfig ofKeyStores(int port, Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {
            return new TlsConfig(port, keyStore, keyStorePassword, null, null, trustStore, trustStorePassword, null);
        }

        /** TLS with PEM files. */
        public static TlsConfig ofPem(int port, Path certificateChain, Path privateKey, Path trustCertificates) {
            return new TlsConfig(port, null, null, certificateChain, privateKey, null, null, trustCertificates);
        }

        @Override
        public String toString() {
            return "TlsConfig[port=" + port + ", keyStore=" + keyStore + ", certificateChain=" + certificateChain
                    + ", privateKey=" + privateKey + ", trustStore=" + trustStore + ", trustCertificates=" + trustCertificates
                    + ", passwords=****]";
        }
    }

    /** Builds a {@link DiameterConfig}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private final String originHost;
        private final String originRealm;
        private String listenAddress = "0.0.0.0";
        private int listenPort = DEFAULT_PORT;
        private TlsConfig tls;
        private final List<AllowedPeer> allowedPeers = new ArrayList<>();
        private final List<ConnectPeer> connectPeers = new ArrayList<>();
        private Duration watchdogInterval = Duration.ofSeconds(30);
        private int maxMessageSize = 65536;
        private int maxInFlight = 256;
        private int vendorId = 0;
        private String productName = "Arbiter";
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Integer handlerConcurrency;
        private Duration queueDeadline = DEFAULT_QUEUE_DEADLINE;

        private Builder(String originHost, String originRealm) {
            this.originHost = originHost;
            this.originRealm = originRealm;
        }

        public Builder listen(String address, int port) {
            this.listenAddress = address;
            this.listenPort = port;
            return this;
        }

        public Builder tls(TlsConfig value) {
            this.tls = value;
            return this;
        }

        public Builder allow(String host) {
            allowedPeers.add(AllowedPeer.of(host));
            return this;
        }

        public Builder allow(String host, String address) {
            allowedPeers.add(new AllowedPeer(host, address));
            return this;
        }

        public Builder connect(ConnectPeer peer) {
            connectPeers.add(peer);
            return this;
        }

        public Builder watchdogInterval(Duration value) {
            this.watchdogInterval = value;
            return this;
        }

        public Builder maxMessageSize(int value) {
            this.maxMessageSize = value;
            return this;
        }

        public Builder maxInFlight(int value) {
            this.maxInFlight = value;
            return this;
        }

        public Builder product(int vendor, String name) {
            this.vendorId = vendor;
            this.productName = name;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        /** Handler calls at once; default 64, or {@code maxInFlight} when that is smaller. */
        public Builder handlerConcurrency(int value) {
            this.handlerConcurrency = value;
            return this;
        }

        public Builder queueDeadline(Duration value) {
            this.queueDeadline = value;
            return this;
        }

        public DiameterConfig build() {
            int concurrency = handlerConcurrency != null ? handlerConcurrency : Math.min(DEFAULT_HANDLER_CONCURRENCY, maxInFlight);
            return new DiameterConfig(originHost, originRealm, listenAddress, listenPort, tls, allowedPeers, connectPeers,
                    watchdogInterval, maxMessageSize, maxInFlight, vendorId, productName, requestTimeout, concurrency, queueDeadline);
        }
    }
}
