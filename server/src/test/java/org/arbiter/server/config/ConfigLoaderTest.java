package org.arbiter.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final String MINIMAL = """
            diameter:
              origin-host: pcrf.example.net
              origin-realm: example.net
            ledger:
              topology: topology.yaml
            policy:
              dir: policy
            admin:
              token: 0123456789abcdef0123
            """;

    private static ArbiterConfig parse(String yaml) {
        return ConfigLoader.parse("arbiter.yaml", new StringReader(yaml), Path.of("/etc/arbiter"));
    }

    @Test
    void minimalConfigurationGetsTheDocumentedDefaults() {
        ArbiterConfig c = parse(MINIMAL);
        assertThat(c.diameter().port()).isEqualTo(3868);
        assertThat(c.diameter().listenAddress()).isEqualTo("127.0.0.1");
        assertThat(c.diameter().tls().port()).isEqualTo(5658);
        assertThat(c.diameter().watchdogInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.ledger().url()).startsWith("jdbc:h2:file:/etc/arbiter/data/arbiter");
        assertThat(c.ledger().topology()).isEqualTo(Path.of("/etc/arbiter/topology.yaml"));
        assertThat(c.admin().listenAddress()).isEqualTo("127.0.0.1");
        assertThat(c.engine().defaultAuthorizationLifetime()).isEqualTo(Duration.ofHours(2));
        assertThat(c.cdr().format()).isEqualTo("csv");
        assertThat(c.diameter().maxInFlight()).isEqualTo(256);
        assertThat(c.diameter().handlerConcurrency()).isEqualTo(64);
        assertThat(c.diameter().queueDeadline()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void handlerConcurrencyAboveMaxInFlightNamesBothKeys() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("  origin-realm: example.net",
                "  origin-realm: example.net\n  max-in-flight: 32\n  handler-concurrency: 64")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("diameter.handler-concurrency")
                .hasMessageContaining("value 64 is more than max-in-flight (32)");
    }

    @Test
    void relativeH2FileResolvesAgainstTheConfigurationDirectory() {
        ArbiterConfig c = parse(MINIMAL.replace("  topology: topology.yaml", "  topology: topology.yaml\n  url: jdbc:h2:file:db/ledger;MODE=Regular"));
        assertThat(c.ledger().url()).isEqualTo("jdbc:h2:file:/etc/arbiter/db/ledger;MODE=Regular");
    }

    @Test
    void journalLedgerIsOffByDefaultAndTakesAnH2Url() {
        assertThat(parse(MINIMAL).ledger().journal()).isFalse();
        assertThat(parse(MINIMAL.replace("  topology: topology.yaml", "  topology: topology.yaml\n  journal: true"))
                .ledger().journal()).isTrue();
    }

    @Test
    void theJournalLedgerDecidesMoreRequestsAtOnceByDefault() {
        ArbiterConfig journal = parse(MINIMAL.replace("  topology: topology.yaml", "  topology: topology.yaml\n  journal: true"));
        assertThat(journal.diameter().maxInFlight()).isEqualTo(1024);
        assertThat(journal.diameter().handlerConcurrency()).isEqualTo(512);
        ArbiterConfig set = parse(MINIMAL.replace("  topology: topology.yaml", "  topology: topology.yaml\n  journal: true")
                .replace("  origin-realm: example.net", "  origin-realm: example.net\n  max-in-flight: 100"));
        assertThat(set.diameter().maxInFlight()).isEqualTo(100);
        assertThat(set.diameter().handlerConcurrency()).isEqualTo(100);
    }

    @Test
    void journalLedgerOnPostgresqlIsAccepted() {
        ArbiterConfig pg = parse(MINIMAL.replace("  topology: topology.yaml",
                "  topology: topology.yaml\n  journal: true\n  url: jdbc:postgresql://db.example.net/arbiter"));
        assertThat(pg.ledger().journal()).isTrue();
        assertThat(pg.ledger().url()).isEqualTo("jdbc:postgresql://db.example.net/arbiter");
    }

    @Test
    void foreignJdbcUrlIsRejected() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("  topology: topology.yaml", "  topology: topology.yaml\n  url: jdbc:mysql://x/y")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ledger.url")
                .hasMessageContaining("jdbc:postgresql:");
    }

    @Test
    void unknownKeyIsRejectedWithItsPathAndLine() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("  origin-realm: example.net", "  origin-realm: example.net\n  orgin-host: typo")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("arbiter.yaml:4:3")
                .hasMessageContaining("diameter.orgin-host")
                .hasMessageContaining("unknown key")
                .hasMessageContaining("origin-host");
    }

    @Test
    void unknownTopLevelSectionIsRejected() {
        assertThatThrownBy(() -> parse(MINIMAL + "ledgr:\n  url: x\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ledgr: unknown key");
    }

    @Test
    void wrongTypeNamesKeyPathAndValue() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("  origin-realm: example.net", "  origin-realm: example.net\n  port: diameter")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("diameter.port")
                .hasMessageContaining("'diameter'")
                .hasMessageContaining("expected an integer in [0, 65535]");
    }

    @Test
    void outOfRangeValueNamesKeyPathValueAndRange() {
        assertThatThrownBy(() -> parse(MINIMAL + "engine:\n  device-timeout-ms: 5\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("engine.device-timeout-ms")
                .hasMessageContaining("value 5 is out of range")
                .hasMessageContaining("[10, 120000]");
    }

    @Test
    void missingRequiredKeyIsNamed() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("  origin-host: pcrf.example.net\n", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("diameter.origin-host")
                .hasMessageContaining("missing required value");
    }

    @Test
    void wrongTypeInsideAListNamesTheIndex() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("  origin-realm: example.net",
                "  origin-realm: example.net\n  peers:\n    - origin-host: pcscf.example.net\n      connect: maybe")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("diameter.peers[0].connect")
                .hasMessageContaining("'maybe'")
                .hasMessageContaining("true or false");
    }

    @Test
    void shortAdminTokenIsRejectedWithoutShowingIt() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("0123456789abcdef0123", "hunter2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin.token")
                .hasMessageContaining("at least 16 characters")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void valueOutsideTheAllowedSetListsTheChoices() {
        assertThatThrownBy(() -> parse(MINIMAL + "cdr:\n  format: xml\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cdr.format")
                .hasMessageContaining("'xml'")
                .hasMessageContaining("[csv, jsonl]");
    }

    @Test
    void invalidYamlSyntaxNamesTheLine() {
        assertThatThrownBy(() -> parse("diameter:\n  origin-host: [unclosed\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("arbiter.yaml:")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void duplicateDeviceIdIsRejected() {
        assertThatThrownBy(() -> parse(MINIMAL + "devices:\n  - id: d1\n    adapter: lab\n  - id: d1\n    adapter: lab\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("devices[1].id")
                .hasMessageContaining("defined twice");
    }

    @Test
    void deviceSettingsArePassedRawToTheAdapter() {
        ArbiterConfig c = parse(MINIMAL + "devices:\n  - id: d1\n    adapter: lab\n    settings:\n      latency-ms: 5\n      fail: none\n");
        assertThat(c.devices()).singleElement().satisfies(d -> {
            assertThat(d.adapter()).isEqualTo("lab");
            assertThat(d.path()).isEqualTo("devices[0].settings");
            assertThat(d.settings()).containsEntry("latency-ms", 5L).containsEntry("fail", "none");
        });
    }

    @Test
    void ledgerPasswordNeverAppearsInToString() {
        ArbiterConfig c = parse(MINIMAL.replace("  topology: topology.yaml", "  topology: topology.yaml\n  password: s3cr3t-pw"));
        assertThat(c.ledger().password()).isEqualTo("s3cr3t-pw");
        assertThat(c.toString()).doesNotContain("s3cr3t-pw").doesNotContain("0123456789abcdef0123");
    }
}
