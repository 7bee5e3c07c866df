package org.arbiter.policy;

import static org.arbiter.policy.Fixtures.CLASSES;
import static org.arbiter.policy.Fixtures.RULES;
import static org.arbiter.policy.Fixtures.game;
import static org.arbiter.policy.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.PolicyRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on a real policy directory: loading, reload, the swap under load, and the directory watcher. */
class RulePolicyEngineIT {

    private static final PolicyRequest PREMIUM_GAME = request("sip:dave@pro.example", null, game(1_000_000, 1_000_000));

    @TempDir
    Path dir;

    /** Writes a file the way a careful editor does: a hidden temporary file, then an atomic rename. */
    private void write(String name, String content) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void writeStandard() throws IOException {
        write("classes.yaml", CLASSES);
        write("rules.yaml", RULES);
    }

    /** The standard rules with the premium game rule renamed and granting another class. */
    private static String variant(String ruleId, String cls) {
        return RULES.replace("- id: premium-game", "- id: " + ruleId).replace("      class: fps-game\n  - id: basic-game",
                "      class: " + cls + "\n  - id: basic-game");
    }

    @Test
    void loadsTheShippedExamplePolicy() {
        try (RulePolicyEngine e = RulePolicyEngine.load(Path.of("../docs/examples/policy"))) {
            assertThat(e.summary()).isEqualTo("3 files, 4 classes, 4 groups, 8 rules, time zone Europe/Berlin");
            assertThat(e.version()).matches("[0-9a-f]{12}@.*");
        }
    }

    @Test
    void loadOfAnInvalidDirectoryThrowsWithEveryError() throws IOException {
        write("classes.yaml", CLASSES.replace("priority: 15", "priority: 0"));
        write("rules.yaml", RULES.replace("class: voice", "class: vocie"));
        assertThatThrownBy(() -> RulePolicyEngine.load(dir))
                .isInstanceOfSatisfying(PolicyLoadException.class, ex -> {
                    assertThat(ex.errors()).extracting(PolicyError::file)
                            .containsExactly(dir.resolve("classes.yaml").toString(), dir.resolve("rules.yaml").toString());
                    assertThat(ex.getMessage()).contains("(2 errors)").contains("classes.yaml:26:15: classes.best-effort.priority");
                });
    }

    @Test
    void loadOfAMissingDirectoryNamesIt() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> RulePolicyEngine.load(missing))
                .isInstanceOfSatisfying(PolicyLoadException.class, ex -> assertThat(ex.errors()).singleElement()
                        .isEqualTo(new PolicyError(missing.toString(), 1, 1, "no such directory")));
    }

    @Test
    void filesOtherThanYamlAndHiddenFilesAreIgnored() throws IOException {
        writeStandard();
        Files.writeString(dir.resolve("README.txt"), "not policy");
        Files.writeString(dir.resolve(".rules.yaml.swp"), "\u0000garbage");
        try (RulePolicyEngine e = RulePolicyEngine.load(dir)) {
            assertThat(e.summary()).startsWith("2 files,");
        }
    }

    @Test
    void reloadSwapsInAValidEdit() throws IOException {
        writeStandard();
        try (RulePolicyEngine e = RulePolicyEngine.load(dir)) {
            String before = e.version();
            write("rules.yaml", variant("premium-voice", "voice"));
            ReloadResult r = e.reload();
            assertThat(r.status()).isEqualTo(ReloadResult.Status.APPLIED);
            assertThat(r.previousVersion()).isEqualTo(before);
            assertThat(r.version()).isEqualTo(e.version()).isNotEqualTo(before);
            Decision d = e.decide(PREMIUM_GAME);
            assertThat(d.ruleId()).isEqualTo("premium-voice");
            assertThat(d.policyVersion()).isEqualTo(r.version());
            assertThat(e.reloadsApplied()).isEqualTo(1);
        }
    }

    @Test
    void aBadEditLeavesTheRunningSetAndRecordsItsErrors() throws IOException {
        writeStandard();
        try (RulePolicyEngine e = RulePolicyEngine.load(dir)) {
            String before = e.version();
            List<ReloadResult> heard = new ArrayList<>();
            e.addReloadListener(heard::add);
            write("rules.yaml", RULES.replace("class: voice", "class: vocie"));
            ReloadResult r = e.reload();
            assertThat(r.status()).isEqualTo(ReloadResult.Status.REJECTED);
            assertThat(r.errors()).singleElement().satisfies(err -> {
                assertThat(err.file()).isEqualTo(dir.resolve("rules.yaml").toString());
                assertThat(err.line()).isEqualTo(20);
                assertThat(err.message()).startsWith("rule 'voice'.grant.class: unknown class 'vocie'");
            });
            assertThat(e.version()).isEqualTo(before);
            assertThat(e.decide(PREMIUM_GAME).ruleId()).isEqualTo("premium-game");
            assertThat(e.lastLoadErrors()).isEqualTo(r.errors());
            assertThat(e.reloadsRejected()).isEqualTo(1);
            assertThat(heard).containsExactly(r);

            write("rules.yaml", RULES);
            assertThat(e.reload().status()).isEqualTo(ReloadResult.Status.UNCHANGED);
            assertThat(e.lastLoadErrors()).isEmpty();
        }
    }

    @Test
    void reloadOfUnchangedFilesKeepsTheVersion() throws IOException {
        writeStandard();
        try (RulePolicyEngine e = RulePolicyEngine.load(dir)) {
            String before = e.version();
            ReloadResult r = e.reload();
            assertThat(r.status()).isEqualTo(ReloadResult.Status.UNCHANGED);
            assertThat(e.version()).isEqualTo(before);
            assertThat(e.reloadsApplied()).isZero();
        }
    }

    @Test
    void decisionsDuringSwapsAlwaysComeFromOneWholeSet() throws Exception {
        write("classes.yaml", CLASSES);
        String rulesA = variant("rule-a", "fps-game");
        String rulesB = variant("rule-b", "voice");
        write("rules.yaml", rulesA);
        String hashA = PolicyParser.hash(new java.util.TreeMap<>(Map.of("classes.yaml", CLASSES, "rules.yaml", rulesA)));
        String hashB = PolicyParser.hash(new java.util.TreeMap<>(Map.of("classes.yaml", CLASSES, "rules.yaml", rulesB)));
        Map<String, String> ruleOf = Map.of(hashA, "rule-a", hashB, "rule-b");
        Map<String, String> classOf = Map.of(hashA, "fps-game", hashB, "voice");
        try (RulePolicyEngine e = RulePolicyEngine.load(dir)) {
            AtomicBoolean stop = new AtomicBoolean();
            Set<String> seen = ConcurrentHashMap.newKeySet();
            LinkedBlockingQueue<String> inconsistent = new LinkedBlockingQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<Long>> deciders = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                deciders.add(pool.submit(() -> {
                    long n = 0;
                    while (!stop.get()) {
                        Decision d = e.decide(PREMIUM_GAME);
                        String hash = d.policyVersion().substring(0, 12);
                        seen.add(hash);
                        if (!d.ruleId().equals(ruleOf.get(hash)) || !d.grants().getFirst().sessionClass().equals(classOf.get(hash))
                                || !d.trace().getFirst().startsWith("policy " + d.policyVersion())) {
                            inconsistent.add(d.policyVersion() + " " + d.ruleId() + " " + d.grants());
                        }
                        n++;
                    }
                    return n;
                }));
            }
            int applied = 0;
            for (int i = 0; i < 20; i++) {
                write("rules.yaml", i % 2 == 0 ? rulesB : rulesA);
                if (e.reload().applied()) {
                    applied++;
                }
            }
            stop.set(true);
            long decisions = 0;
            for (Future<Long> f : deciders) {
                decisions += f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(applied).isEqualTo(20);
            assertThat(decisions).isPositive();
            assertThat(inconsistent).isEmpty();
            assertThat(seen).containsExactlyInAnyOrder(hashA, hashB);
        }
    }

    @Test
    void theWatcherAppliesAnEditWithoutAReloadCall() throws Exception {
        writeStandard();
        try (RulePolicyEngine e = RulePolicyEngine.load(dir)) {
            CountDownLatch applied = new CountDownLatch(1);
            e.addReloadListener(r -> {
                if (r.applied()) {
                    applied.countDown();
                }
            });
            e.startWatching(Duration.ofMillis(50));
            write("rules.yaml", variant("watched", "voice"));
            assertThat(applied.await(10, TimeUnit.SECONDS)).as("reload seen within 10 s").isTrue();
            assertThat(e.decide(PREMIUM_GAME).ruleId()).isEqualTo("watched");
        }
    }

    @Test
    void theWatcherRefusesABadEditAndKeepsTheRunningSet() throws Exception {
        writeStandard();
        try (RulePolicyEngine e = RulePolicyEngine.load(dir)) {
            String before = e.version();
            LinkedBlockingQueue<ReloadResult> results = new LinkedBlockingQueue<>();
            e.addReloadListener(results::add);
            e.startWatching(Duration.ofMillis(50));
            write("rules.yaml", RULES + "  - id: oops\n");
            ReloadResult r = results.poll(10, TimeUnit.SECONDS);
            assertThat(r).as("reload seen within 10 s").isNotNull();
            assertThat(r.status()).isEqualTo(ReloadResult.Status.REJECTED);
            assertThat(e.version()).isEqualTo(before);
            assertThat(e.lastLoadErrors()).isNotEmpty();
        }
    }

    @Test
    void closeStopsTheWatcherAndDecisionsGoOn() throws Exception {
        writeStandard();
        RulePolicyEngine e = RulePolicyEngine.load(dir);
        e.startWatching(Duration.ofMillis(50));
        e.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("policy-watch") && t.isAlive());
        assertThat(e.decide(PREMIUM_GAME).ruleId()).isEqualTo("premium-game");
        assertThatThrownBy(e::startWatching).isInstanceOf(IllegalStateException.class);
    }
}
