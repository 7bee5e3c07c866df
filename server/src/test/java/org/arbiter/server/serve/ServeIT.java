package org.arbiter.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arbiter.ledger.JdbcLedger;
import org.arbiter.ledger.LedgerConfig;
import org.arbiter.ledger.TopologyFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arbiter serve} as a real process: startup, admin API, SIGHUP reload, SIGTERM stop. */
class ServeIT {

    static final String TOKEN = "serve-it-token-0123456789";
    static final Path EXAMPLES = Path.of("..", "docs", "examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    Process process;
    final List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    Path config(String extra) throws IOException {
        Path policy = Files.createDirectories(dir.resolve("policy"));
        for (String f : List.of("classes.yaml", "subscribers.yaml", "rules.yaml")) {
            Files.copy(EXAMPLES.resolve("policy").resolve(f), policy.resolve(f));
        }
        Files.copy(EXAMPLES.resolve("topology.yaml"), dir.resolve("topology.yaml"));
        Path cfg = dir.resolve("arbiter.yaml");
        Files.writeString(cfg, """
                node-id: serve-it
                diameter:
                  origin-host: 127.0.0.1
                  origin-realm: rx.test
                  port: 0
                  peers:
                    - origin-host: pcscf.rx.test
                ledger:
                  topology: topology.yaml
                policy:
                  dir: policy
                  watch: false
                devices:
                  - {id: bras-1, adapter: lab}
                  - {id: dslam-1, adapter: lab}
                  - {id: cmts-1, adapter: lab}
                admin:
                  port: 0
                  token: %s
                """.formatted(TOKEN) + extra);
        return cfg;
    }

    Process start(Path cfg) throws IOException {
        return start(cfg, "--default-signal=HUP");
    }

    /**
     * Starts {@code arbiter serve} through {@code env} with the given signal setting: the test's
     * own hang-up disposition is inherited otherwise, and a suite started under nohup would
     * start a server that never sees SIGHUP.
     */
    Process start(Path cfg, String hangUpSetting) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("env", hangUpSetting, java, "-cp", System.getProperty("java.class.path"),
                "org.arbiter.server.Main", "serve", "--config", cfg.toString())
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("ARBITER_LOG_LEVEL", "INFO");
        process = pb.start();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("(output closed: " + e.getMessage() + ")");
            }
        });
        return process;
    }

    int[] awaitServing() throws InterruptedException {
        Pattern p = Pattern.compile("arbiter serving: Diameter port (\\d+), admin port (\\d+)");
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            for (String line : output) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
                }
            }
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("arbiter did not start serving:\n" + String.join("\n", output));
    }

    void hangUp() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -HUP finished").isTrue();
        assertThat(kill.exitValue()).as("kill -HUP exit code").isZero();
        output.add("(test: SIGHUP sent)");
    }

    HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesUntilSigtermThenStopsCleanlyWithExitZero() throws Exception {
        start(config(""));
        int[] ports = awaitServing();
        int admin = ports[1];

        assertThat(get(admin, "/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(get(admin, "/api/pools", null).statusCode()).isEqualTo(401);
        JsonNode pools = new ObjectMapper().readTree(get(admin, "/api/pools", TOKEN).body());
        List<String> roots = new ArrayList<>();
        pools.forEach(n -> roots.add(n.get("id").asText()));
        assertThat(roots).containsExactlyInAnyOrder("bras-1", "cmts-1");
        assertThat(get(admin, "/api/adapters", TOKEN).body()).contains("dslam-1");
        assertThat(get(admin, "/api/sessions", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get(admin, "/metrics", TOKEN).body()).contains("jvm_memory_used_bytes");
        assertThat(String.join("\n", output)).doesNotContain(TOKEN);

        // SIGTERM by kill: Process.destroy() would also close our end of its output
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(String.join("\n", output)).isTrue();
        assertThat(process.exitValue()).as(String.join("\n", output)).isZero();
        Instant deadline = Instant.now().plusSeconds(5);
        while (output.stream().noneMatch(l -> l.contains("arbiter stopped")) && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        assertThat(output).anyMatch(l -> l.contains("arbiter stopped"));
    }

    @Test
    void aPoolCounterThatDriftedFromItsHoldsIsSetRightAtStart() throws Exception {
        Path cfg = config("");
        String url = "jdbc:h2:file:" + dir.resolve("data/arbiter");
        try (JdbcLedger ledger = JdbcLedger.open(LedgerConfig.of(url, "arbiter", ""))) {
            ledger.applyTopology(TopologyFile.load(dir.resolve("topology.yaml")), false);
        }
        try (Connection c = DriverManager.getConnection(url, "arbiter", "")) {
            assertThat(c.createStatement().executeUpdate("UPDATE pools SET used_ul = 64000 WHERE id = 'dsl-line-1'")).isEqualTo(1);
        }

        start(cfg);
        awaitServing();
        assertThat(output).anyMatch(l -> l.contains("pool use counters differ from active holds on 1 pool direction(s) (repaired)"));
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(String.join("\n", output)).isTrue();

        try (Connection c = DriverManager.getConnection(url, "arbiter", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT used_ul FROM pools WHERE id = 'dsl-line-1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).as("the counter, set to the sum of its (no) active holds").isZero();
        }
    }

    @Test
    void servesOnTheJournalLedgerWhileTheCommandLineReadsIt() throws Exception {
        Path cfg = config("");
        Files.writeString(cfg, Files.readString(cfg).replace("ledger:\n  topology: topology.yaml",
                "ledger:\n  journal: true\n  topology: topology.yaml"));
        start(cfg);
        int admin = awaitServing()[1];
        assertThat(output).anyMatch(l -> l.contains("journal ledger open"));
        JsonNode pools = new ObjectMapper().readTree(get(admin, "/api/pools", TOKEN).body());
        List<String> roots = new ArrayList<>();
        pools.forEach(n -> roots.add(n.get("id").asText()));
        assertThat(roots).containsExactlyInAnyOrder("bras-1", "cmts-1");
        assertThat(get(admin, "/api/sessions", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get(admin, "/api/decisions", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get(admin, "/health/ready", null).statusCode()).isEqualTo(200);
        String metrics = get(admin, "/metrics", TOKEN).body();
        assertThat(metrics.lines().filter(l -> l.startsWith("arbiter_ledger_failed_closed ")))
                .singleElement().satisfies(l -> assertThat(Double.parseDouble(l.substring(l.indexOf(' ') + 1))).isZero());
        assertThat(metrics.lines().filter(l -> l.matches("arbiter_journal_(rows|groups)_total [0-9.E]+")))
                .as(metrics).hasSize(2);

        // the command-line tools read the running server's journal without writing to it
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process cli = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.arbiter.server.Main",
                "ledger", "pools", "--config", cfg.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        String cliOut = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cli.waitFor(60, TimeUnit.SECONDS)).as(cliOut).isTrue();
        assertThat(cli.exitValue()).as(cliOut).isZero();
        assertThat(cliOut).contains("bras-1").contains("dsl-line-1");

        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(String.join("\n", output)).isTrue();
        assertThat(process.exitValue()).as(String.join("\n", output)).isZero();
    }

    @Test
    void sighupReloadsThePolicyAndABadEditKeepsTheRunningSet() throws Exception {
        start(config(""));
        int admin = awaitServing()[1];
        String before = new ObjectMapper().readTree(get(admin, "/api/policy", TOKEN).body()).get("version").asText();

        Files.writeString(dir.resolve("policy").resolve("rules.yaml"), "rules: [ {id: broken, when: 'flow.nonsense ==', grant: {class: voice}} ]\n");
        hangUp();

        JsonNode status = null;
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            status = new ObjectMapper().readTree(get(admin, "/api/policy", TOKEN).body());
            if (status.get("errors").size() > 0) {
                break;
            }
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        assertThat(status.get("errors").size()).as(status + "\n" + String.join("\n", output)).isPositive();
        assertThat(status.get("errors").toString()).contains("rules.yaml");
        assertThat(status.get("version").asText()).isEqualTo(before);
        String metrics = get(admin, "/metrics", TOKEN).body();
        assertThat(metrics.lines().filter(l -> l.startsWith("arbiter_policy_reloads_rejected ")))
                .singleElement().satisfies(l -> assertThat(Double.parseDouble(l.substring(l.indexOf(' ') + 1))).isGreaterThanOrEqualTo(1.0));
        assertThat(metrics).contains("arbiter_policy_load_errors");
    }

    @Test
    void aHangUpSignalIgnoredAtStartIsReportedAtWarn() throws Exception {
        start(config(""), "--ignore-signal=HUP");
        awaitServing();

        assertThat(output).as(String.join("\n", output))
                .anyMatch(l -> l.contains("WARN") && l.contains("SIGHUP was ignored when arbiter started"));
    }

    @Test
    void aBadConfigurationStopsStartupNamingTheKey() throws Exception {
        Path cfg = config("engine:\n  device-timeout-ms: 1\n");
        start(cfg);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(String.join("\n", output)).contains("engine.device-timeout-ms").contains("[10, 120000]");
    }
}
