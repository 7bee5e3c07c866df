package org.arbiter.diameter.peer;

import static org.arbiter.diameter.TestPeer.resultCode;
import static org.arbiter.diameter.TestPeer.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.DiameterConfig.TlsConfig;
import org.arbiter.diameter.DiameterServer;
import org.arbiter.diameter.RecordingMetrics;
import org.arbiter.diameter.StubHandler;
import org.arbiter.diameter.TestPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS/TCP (RFC 6733 §13) with certificates made by keytool in the test's directory. */
class TlsIT {

    private static final String PW = "changeit";

    @TempDir
    static Path dir;

    private final RecordingMetrics metrics = new RecordingMetrics();
    private DiameterServer server;
    private DiameterServer other;

    /** Starts keytool making a self-signed EC key pair for {@code name} in {@code <alias>.p12}. */
    private static Process genkeypair(String alias, String name) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "SAN=dns:" + name, "-validity", "2", "-keystore", dir.resolve(alias + ".p12").toString(),
                "-storetype", "PKCS12", "-storepass", PW, "-keypass", PW)
                .redirectErrorStream(true).redirectOutput(dir.resolve(alias + ".log").toFile()).start();
    }

    private static KeyStore load(String file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            ks.load(in, PW.toCharArray());
        }
        return ks;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    @BeforeAll
    static void certificates() throws Exception {
        List<Process> keytools = List.of(genkeypair("pdp", "pdp.test"), genkeypair("pcscf", "pcscf.rx.test"), genkeypair("rogue", "pcscf.rx.test"));
        for (Process p : keytools) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("keytool exit").isZero();
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (String alias : List.of("pdp", "pcscf")) {
            Certificate cert = load(alias + ".p12").getCertificate(alias);
            trust.setCertificateEntry(alias, cert);
            Files.writeString(dir.resolve(alias + ".pem"), pem("CERTIFICATE", cert.getEncoded()));
        }
        try (var out = Files.newOutputStream(dir.resolve("trust.p12"))) {
            trust.store(out, PW.toCharArray());
        }
        PrivateKey key = (PrivateKey) load("pcscf.p12").getKey("pcscf", PW.toCharArray());
        Files.writeString(dir.resolve("pcscf.key"), pem("PRIVATE KEY", key.getEncoded()));
    }

    @AfterEach
    void stop() {
        if (other != null) {
            other.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void startServer() {
        server = DiameterServer.start(DiameterConfig.builder("pdp.test", "pdp.test").listen("127.0.0.1", -1)
                .tls(TlsConfig.ofKeyStores(0, dir.resolve("pdp.p12"), PW, dir.resolve("trust.p12"), PW))
                .allow("pcscf.rx.test").allow("other.rx.test").requestTimeout(Duration.ofSeconds(3)).build(), new StubHandler(), metrics);
    }

    private SSLSocket client(String keyStore) throws Exception {
        KeyStore ks = load(keyStore);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PW.toCharArray());
        KeyStore ts = load("trust.p12");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.tlsPort());
        s.setSoTimeout(5000);
        s.startHandshake();
        return s;
    }

    private static List<org.arbiter.diameter.codec.Avp> rx() {
        return List.of(u32("Auth-Application-Id", 16777236));
    }

    @Test
    void trustedPeerCompletesTheCapabilitiesExchangeOverTls() throws Exception {
        startServer();
        try (TestPeer p = TestPeer.wrap(client("pcscf.p12"), "pcscf.rx.test")) {
            assertThat(resultCode(p.exchange(p.cer(rx())))).isEqualTo(2001);
            assertThat(resultCode(p.exchange(p.aar("pcscf.rx.test;tls;1")))).isEqualTo(2001);
        }
        assertThat(server.port()).isEqualTo(-1);
    }

    @Test
    void untrustedCertificateFailsTheHandshake() throws Exception {
        startServer();

        assertThatThrownBy(() -> {
            try (TestPeer p = TestPeer.wrap(client("rogue.p12"), "pcscf.rx.test")) {
                p.exchange(p.cer(rx()));
            }
        }).isInstanceOf(java.io.IOException.class);
        try (TestPeer p = TestPeer.wrap(client("pcscf.p12"), "pcscf.rx.test")) {
            assertThat(resultCode(p.exchange(p.cer(rx())))).isEqualTo(2001);
        }
    }

    @Test
    void certificateThatDoesNotNameTheOriginHostGets3010() throws Exception {
        startServer();
        try (TestPeer p = TestPeer.wrap(client("pcscf.p12"), "other.rx.test")) {
            assertThat(resultCode(p.exchange(p.cer(rx())))).isEqualTo(3010);
            assertThat(p.closedByServer()).isTrue();
        }
    }

    @Test
    void configuredPeerIsReachedOverTlsWithPemFiles() throws Exception {
        startServer();
        other = DiameterServer.start(DiameterConfig.builder("pcscf.rx.test", "rx.test").listen("127.0.0.1", 0)
                .tls(TlsConfig.ofPem(-1, dir.resolve("pcscf.pem"), dir.resolve("pcscf.key"), dir.resolve("pdp.pem")))
                .connect(new DiameterConfig.ConnectPeer("pdp.test", "127.0.0.1", server.tlsPort(), true)).build(), new StubHandler());

        assertThat(metrics.await("state pcscf.rx.test R_OPEN", Duration.ofSeconds(10))).isTrue();
    }
}
