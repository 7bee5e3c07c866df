package org.arbiter.adapter.netconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.AdapterConfigException;
import org.arbiter.core.adapter.DeviceAdapterProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetconfAdapterProviderTest {

    private static final String KNOWN_HOST = "[192.0.2.1]:830 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdH"
            + "AyNTYAAABBBC8sD+QlNViogX7W3gaUNJNT6GchXIH6EBOzib2/ClQldMovrlKHaK1GcW05byminQqvz7pFL+aDSW9rZBeZTb4=\n";

    /** An RSA key in PKCS#8 PEM, made once for the class (key generation is slow). */
    private static String pem;

    @TempDir
    Path dir;
    private Path knownHosts;
    private Path key;

    @BeforeAll
    static void makeKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    @BeforeEach
    void files() throws Exception {
        knownHosts = Files.writeString(dir.resolve("known_hosts"), KNOWN_HOST);
        key = Files.writeString(dir.resolve("id_rsa"), pem);
    }

    private Map<String, Object> minimal() {
        Map<String, Object> s = new HashMap<>();
        s.put("host", "192.0.2.1");
        s.put("username", "arbiter");
        s.put("password", "s3cret-pw");
        s.put("known-hosts", knownHosts.toString());
        return s;
    }

    private static NetconfSettings settings(Map<String, Object> s) {
        return NetconfAdapterProvider.settings(new AdapterConfig("bras-1", "devices[3].settings", s));
    }

    private static AdapterConfigException refused(Map<String, Object> s) {
        try {
            settings(s);
        } catch (AdapterConfigException e) {
            return e;
        }
        throw new AssertionError("configuration accepted: " + s.keySet());
    }

    @Test
    void serviceLoaderFindsTheNetconfProvider() {
        assertThat(ServiceLoader.load(DeviceAdapterProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(p -> {
                    assertThat(p).isInstanceOf(NetconfAdapterProvider.class);
                    assertThat(p.name()).isEqualTo("netconf");
                    assertThat(p.spiVersion()).isEqualTo(DeviceAdapterProvider.SPI_VERSION);
                });
    }

    @Test
    void minimalSectionTakesTheDefaults() {
        NetconfSettings s = settings(minimal());

        assertThat(s.port()).isEqualTo(830);
        assertThat(s.hostKeyVerification()).isTrue();
        assertThat(s.datastore()).isEqualTo(NetconfSettings.Datastore.AUTO);
        assertThat(s.confirmedCommit()).isTrue();
        assertThat(s.confirmTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.rpcTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.model().name()).isEqualTo("arbiter-qos");
    }

    @Test
    void createDoesNotContactTheDevice() {
        try (var adapter = new NetconfAdapterProvider().create(new AdapterConfig("bras-1", "devices[3].settings", minimal()))) {
            assertThat(adapter.deviceId()).isEqualTo("bras-1");
        }
    }

    @Test
    void privateKeyIsLoadedAtStartup() {
        Map<String, Object> s = minimal();
        s.remove("password");
        s.put("private-key", key.toString());

        assertThat(settings(s).keys()).hasSize(1);
    }

    @Test
    void everyKeyIsAccepted() {
        Map<String, Object> s = minimal();
        s.put("port", 65535);
        s.put("private-key", key.toString());
        s.put("datastore", "running");
        s.put("confirmed-commit", false);
        s.put("confirm-timeout-s", 3600);
        s.put("connect-timeout-ms", 1);
        s.put("timeout-ms", 600_000);
        s.put("model", "ietf-interfaces-policer");
        s.put("model-dir", dir.toString());

        NetconfSettings n = settings(s);

        assertThat(n.datastore()).isEqualTo(NetconfSettings.Datastore.RUNNING);
        assertThat(n.model().name()).isEqualTo("ietf-interfaces-policer");
        assertThat(NetconfAdapterProvider.KEYS).containsAll(s.keySet());
    }

    @Test
    void unknownKeyIsNamedWithItsPath() {
        Map<String, Object> s = minimal();
        s.put("hostname", "x");

        assertThat(refused(s).keyPath()).isEqualTo("devices[3].settings.hostname");
    }

    @Test
    void missingHostIsRefused() {
        Map<String, Object> s = minimal();
        s.remove("host");

        assertThat(refused(s).keyPath()).isEqualTo("devices[3].settings.host");
    }

    @Test
    void portOutOfRangeIsRefusedWithTheRange() {
        Map<String, Object> s = minimal();
        s.put("port", 70000);

        assertThat(refused(s)).hasMessageContaining("devices[3].settings.port").hasMessageContaining("[1, 65535]");
    }

    @Test
    void neitherPasswordNorKeyIsRefused() {
        Map<String, Object> s = minimal();
        s.remove("password");

        assertThat(refused(s)).hasMessageContaining("password or private-key");
    }

    @Test
    void knownHostsIsRequiredWhileHostKeysAreVerified() {
        Map<String, Object> s = minimal();
        s.remove("known-hosts");

        assertThat(refused(s)).hasMessageContaining("devices[3].settings.known-hosts")
                .hasMessageContaining("host-key-verification: false");
    }

    @Test
    void hostKeyVerificationCanBeTurnedOffExplicitly() {
        Map<String, Object> s = minimal();
        s.remove("known-hosts");
        s.put("host-key-verification", false);

        assertThat(settings(s).hostKeyVerification()).isFalse();
    }

    @Test
    void missingKnownHostsFileIsRefused() {
        Map<String, Object> s = minimal();
        s.put("known-hosts", dir.resolve("nope").toString());

        assertThat(refused(s).keyPath()).isEqualTo("devices[3].settings.known-hosts");
    }

    @Test
    void privateKeyThatIsNoKeyIsRefused() throws Exception {
        Map<String, Object> s = minimal();
        s.put("private-key", Files.writeString(dir.resolve("garbage"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                .toString());

        assertThat(refused(s).keyPath()).isEqualTo("devices[3].settings.private-key");
    }

    @Test
    void unknownDatastoreListsTheChoices() {
        Map<String, Object> s = minimal();
        s.put("datastore", "startup");

        assertThat(refused(s)).hasMessageContaining("'startup'").hasMessageContaining("auto, candidate, running");
    }

    @Test
    void unknownModelIsRefusedNamingTheShippedOnes() {
        Map<String, Object> s = minimal();
        s.put("model", "acme");

        assertThat(refused(s)).hasMessageContaining("devices[3].settings.model").hasMessageContaining("arbiter-qos");
    }

    @Test
    void modelDirThatIsNoDirectoryIsRefused() {
        Map<String, Object> s = minimal();
        s.put("model-dir", knownHosts.toString());

        assertThat(refused(s).keyPath()).isEqualTo("devices[3].settings.model-dir");
    }

    @Test
    void brokenModelFileInModelDirIsRefusedWithItsProblem() throws Exception {
        Files.writeString(dir.resolve("acme.yaml"), DeviceModelReaderTest.VALID.replace("${id}", "${identifier}"));
        Map<String, Object> s = minimal();
        s.put("model", "acme");
        s.put("model-dir", dir.toString());

        assertThat(refused(s)).hasMessageContaining("acme.yaml: install: unknown value ${identifier}");
    }

    @Test
    void thePasswordNeverAppearsInMessagesOrSettings() {
        Map<String, Object> s = minimal();
        s.put("password", 12345);

        assertThat(refused(s)).hasMessageNotContaining("12345");
        assertThat(settings(minimal()).toString()).doesNotContain("s3cret-pw");
    }
}
