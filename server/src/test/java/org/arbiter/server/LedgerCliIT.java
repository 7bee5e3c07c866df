package org.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arbiter.adapter.lab.LabDevice;
import org.arbiter.core.engine.AfNotifier;
import org.arbiter.core.engine.EngineSettings;
import org.arbiter.core.engine.Enforcer;
import org.arbiter.core.engine.PdpEngine;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SubscriptionId;
import org.arbiter.core.session.TerminationCause;
import org.arbiter.ledger.JdbcLedger;
import org.arbiter.ledger.LedgerConfig;
import org.arbiter.ledger.TopologyFile;
import org.arbiter.policy.RulePolicyEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The daily-work commands against a real H2 ledger that the engine wrote. */
class LedgerCliIT {

    static final Path EXAMPLES = Path.of("..", "docs", "examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void ledgerWithOneEndedAndOneActiveSession() throws Exception {
        Path policy = Files.createDirectories(dir.resolve("policy"));
        for (String f : List.of("classes.yaml", "subscribers.yaml", "rules.yaml")) {
            Files.copy(EXAMPLES.resolve("policy").resolve(f), policy.resolve(f));
        }
        Files.copy(EXAMPLES.resolve("topology.yaml"), dir.resolve("topology.yaml"));
        config = dir.resolve("arbiter.yaml");
        Files.writeString(config, """
                diameter: {origin-host: pcrf.test, origin-realm: test}
                ledger: {topology: topology.yaml}
                policy: {dir: policy}
                admin: {enabled: false}
                """);
        String url = "jdbc:h2:file:" + dir.resolve("data/arbiter") + ";AUTO_SERVER=TRUE";
        try (JdbcLedger ledger = JdbcLedger.open(LedgerConfig.of(url, "arbiter", ""));
             RulePolicyEngine rules = RulePolicyEngine.load(policy);
             Enforcer enforcer = new Enforcer(Map.of("dslam-1", new LabDevice("dslam-1"), "bras-1", new LabDevice("bras-1"),
                     "cmts-1", new LabDevice("cmts-1")), Duration.ofSeconds(2))) {
            ledger.applyTopology(TopologyFile.load(dir.resolve("topology.yaml")), false);
            PdpEngine engine = new PdpEngine(rules, ledger, enforcer, AfNotifier.NONE, EngineSettings.defaults(), Clock.systemUTC());
            assertThat(engine.authorize(aar("cli;1;1", "sip:alice@demo.arbiter")).code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
            assertThat(engine.authorize(aar("cli;2;1", "sip:carol@demo.arbiter")).code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
            assertThat(engine.release("cli;1;1", TerminationCause.DIAMETER_LOGOUT).code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
        }
    }

    static RxRequest aar(String session, String subscriber) {
        List<String> fd = List.of("permit out 17 from 10.2.0.9 26000 to 10.1.0.7 16000", "permit in 17 from 10.1.0.7 16000 to 10.2.0.9 26000");
        return new RxRequest(session, "pcscf.test", "test", List.of(new SubscriptionId(SubscriptionId.Type.END_USER_SIP_URI, subscriber)),
                "10.1.0.7", List.of(new MediaComponent(1, MediaType.AUDIO, List.of(new MediaSubComponent(1, fd, null, 0, -1, -1)),
                        64_000, 64_000, -1, -1, FlowStatus.ENABLED, List.of())),
                Set.of(), null, null, Duration.ofHours(1), Instant.now());
    }

    String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ArbiterCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void poolsPrintsTheTreeWithUse() {
        String out = run("ledger", "pools", "--config", config.toString());
        assertThat(out).contains("bras-1").contains("  dslam-1-uplink").contains("    dsl-line-1").contains("64 kbit/s");
    }

    @Test
    void sessionsListsNewestFirstWithTheirState() {
        String out = run("ledger", "sessions", "--config", config.toString());
        assertThat(out).contains("cli;2;1").contains("cli;1;1").contains("ended").contains("active").contains("2 session(s)");
        assertThat(out.indexOf("cli;2;1")).isLessThan(out.indexOf("cli;1;1"));
        assertThat(run("ledger", "sessions", "--config", config.toString(), "--subscriber", "sip:carol@demo.arbiter"))
                .contains("cli;2;1").doesNotContain("cli;1;1");
    }

    @Test
    void sessionShowsItsHoldsAndDecision() {
        String out = run("ledger", "session", "cli;2;1", "--config", config.toString());
        assertThat(out).contains("dsl-line-1").contains("COMMITTED").contains("rule voice");
        assertThat(run("ledger", "session", "cli;2;1", "--config", config.toString(), "--json")).contains("\"holds\"");
    }

    @Test
    void cdrExportWritesTheEndedSession() throws Exception {
        Path file = dir.resolve("export.jsonl");
        run("cdr", "export", "--config", config.toString(), "--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z",
                "--format", "jsonl", "--out", file.toString());
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).singleElement().satisfies(l -> assertThat(l).contains("\"session_id\":\"cli;1;1\"")
                .contains("\"termination_cause\":\"DIAMETER_LOGOUT\""));
    }

    @Test
    void badExportRangeIsAUsageError() {
        CommandLine cli = new CommandLine(new ArbiterCommand());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("cdr", "export", "--config", config.toString(), "--from", "yesterday", "--to", "now")).isEqualTo(2);
        assertThat(err.toString()).contains("'yesterday' is not an ISO-8601 instant");
    }
}
