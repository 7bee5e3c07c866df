package org.arbiter.adapter.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.AdapterConfigException;
import org.arbiter.core.adapter.DeviceAdapterProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Configuration validation of the snmp adapter; creating an adapter contacts no device. */
class SnmpAdapterProviderTest {

    private static final String PATH = "devices[3].settings";
    private final SnmpAdapterProvider provider = new SnmpAdapterProvider();

    private static Map<String, Object> v3() {
        Map<String, Object> s = new HashMap<>();
        s.put("host", "192.0.2.10");
        s.put("model", "docsis-qos-service-class");
        s.put("user", "arbiter");
        s.put("auth-passphrase", "auth-secret-1");
        s.put("priv-passphrase", "priv-secret-1");
        return s;
    }

    private static Map<String, Object> v2c() {
        Map<String, Object> s = new HashMap<>();
        s.put("host", "192.0.2.10");
        s.put("model", "diffserv-policer");
        s.put("version", "2c");
        s.put("community", "community-secret");
        return s;
    }

    private static AdapterConfig config(Map<String, Object> settings) {
        return new AdapterConfig("cmts-1", PATH, settings);
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                base.remove((String) keyValues[i]);
            } else {
                base.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return base;
    }

    @Test
    void serviceLoaderFindsTheSnmpProvider() {
        assertThat(ServiceLoader.load(DeviceAdapterProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(p -> {
                    assertThat(p).isInstanceOf(SnmpAdapterProvider.class);
                    assertThat(p.name()).isEqualTo("snmp");
                    assertThat(p.spiVersion()).isEqualTo(DeviceAdapterProvider.SPI_VERSION);
                });
    }

    @Test
    void v3SectionWithDefaultsGivesAnAdapterForTheDevice() {
        try (SnmpDevice d = provider.create(config(v3()))) {
            assertThat(d.deviceId()).isEqualTo("cmts-1");
            assertThat(d.modelName()).isEqualTo("docsis-qos-service-class");
        }
    }

    @Test
    void v3DefaultsAreAuthPrivWithSha256AndAes128() {
        SnmpSettings s = SnmpSettings.from(config(v3()));

        assertThat(s.version()).isEqualTo(SnmpSettings.Version.V3);
        assertThat(s.securityLevel()).isEqualTo(SnmpSettings.SecurityLevel.AUTH_PRIV);
        assertThat(s.auth()).isEqualTo(SnmpSettings.Auth.SHA256);
        assertThat(s.priv()).isEqualTo(SnmpSettings.Priv.AES128);
        assertThat(s.port()).isEqualTo(161);
    }

    @Test
    void settingsShowNoSecret() {
        assertThat(SnmpSettings.from(config(v3())).toString()).doesNotContain("auth-secret-1", "priv-secret-1");
        assertThat(SnmpSettings.from(config(v2c())).toString()).doesNotContain("community-secret");
        assertThat(provider.create(config(v2c())).toString()).doesNotContain("community-secret");
    }

    static Stream<Arguments> badSections() {
        return Stream.of(
                Arguments.of(with(v3(), "comunity", "x"), PATH + ".comunity", "expected one of the keys ["),
                Arguments.of(with(v3(), "host", null), PATH + ".host", "missing; expected a value is required"),
                Arguments.of(with(v3(), "host", "cmts 1"), PATH + ".host", "a host name or an IPv4/IPv6 address literal"),
                Arguments.of(with(v3(), "port", 0), PATH + ".port", "an integer in [1, 65535]"),
                Arguments.of(with(v3(), "version", "1"), PATH + ".version", "3 or 2c"),
                Arguments.of(with(v3(), "user", null), PATH + ".user", "a value is required"),
                Arguments.of(with(v3(), "auth-protocol", "md5"), PATH + ".auth-protocol", "one of sha, sha224, sha256, sha384, sha512"),
                Arguments.of(with(v3(), "priv-protocol", "des"), PATH + ".priv-protocol", "one of aes128, aes192, aes256"),
                Arguments.of(with(v3(), "security-level", "noAuthNoPriv"), PATH + ".security-level", "noAuthNoPriv is not supported"),
                Arguments.of(with(v3(), "auth-passphrase", "short"), PATH + ".auth-passphrase", "a string of 8 to 256 characters"),
                Arguments.of(with(v3(), "priv-passphrase", null), PATH + ".priv-passphrase", "a value is required"),
                Arguments.of(with(v3(), "security-level", "authNoPriv"), PATH + ".priv-passphrase", "no priv-passphrase with security-level authNoPriv"),
                Arguments.of(with(v3(), "community", "community-secret"), PATH + ".community", "no community with version 3"),
                Arguments.of(with(v2c(), "community", null), PATH + ".community", "a value is required"),
                Arguments.of(with(v2c(), "community", 12345678), PATH + ".community", "a string of 1 to 255 characters"),
                Arguments.of(with(v2c(), "user", "arbiter"), PATH + ".user", "no user with version 2c"),
                Arguments.of(with(v3(), "retries", 9), PATH + ".retries", "an integer in [0, 5]"),
                Arguments.of(with(v3(), "max-pdu-bytes", 100), PATH + ".max-pdu-bytes", "an integer in [484, 65507]"),
                Arguments.of(with(v3(), "max-varbinds", 0), PATH + ".max-varbinds", "an integer in [1, 1000]"),
                Arguments.of(with(v3(), "model", "acme-dslam"), PATH + ".model", "one of the shipped models [docsis-qos-service-class, diffserv-policer]"),
                Arguments.of(with(v3(), "model", "Bad Name"), PATH + ".model", "a model name matching"),
                Arguments.of(with(v3(), "model-dir", "/nonexistent/models"), PATH + ".model-dir", "an existing directory"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("badSections")
    void badSectionIsRejectedNamingKeyPathAndWhatIsAllowedButNoSecret(Map<String, Object> settings, String keyPath, String allowed) {
        assertThatThrownBy(() -> provider.create(config(settings)))
                .isInstanceOfSatisfying(AdapterConfigException.class, e -> assertThat(e.keyPath()).isEqualTo(keyPath))
                .hasMessageStartingWith(keyPath + ": ")
                .hasMessageContaining(allowed)
                .message().doesNotContain("auth-secret-1", "priv-secret-1", "community-secret", "short", "12345678");
    }

    @Test
    void modelFromTheModelDirectoryIsUsed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("acme-dslam.yaml"), """
                model: acme-dslam
                index: {kind: hash31}
                tables:
                  - name: acmeQosTable
                    entry: 1.3.6.1.4.1.99999.1.1
                    row-status: 9
                    columns:
                      - {name: acmeQosName, column: 2, type: string, value: id}
                      - {name: acmeQosRate, column: 3, type: unsigned, value: rate-kbps}
                """);

        try (SnmpDevice d = provider.create(config(with(v3(), "model", "acme-dslam", "model-dir", dir.toString())))) {
            assertThat(d.modelName()).isEqualTo("acme-dslam");
        }
    }

    @Test
    void brokenModelFileStopsCreateWithFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("acme-dslam.yaml");
        Files.writeString(file, "model: acme-dslam\nindex: {kind: hash31}\ntables:\n  - name: t\n    entry: 1.3.6.1.4.1.99999.1.1\n"
                + "    row-status: 9\n    columns:\n      - {name: n, column: 2, type: text, value: id}\n");

        assertThatThrownBy(() -> provider.create(config(with(v3(), "model", "acme-dslam", "model-dir", dir.toString()))))
                .isInstanceOfSatisfying(AdapterConfigException.class, e -> assertThat(e.keyPath()).isEqualTo(PATH + ".model"))
                .hasMessageContaining(file + ":8:")
                .hasMessageContaining("tables[0].columns[0].type: 'text'; expected one of integer, unsigned, string, octets, ip-address");
    }
}
