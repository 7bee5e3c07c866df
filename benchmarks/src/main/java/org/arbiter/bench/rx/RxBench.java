package org.arbiter.bench.rx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Rx benchmark: runs the load generator against several targets, one after the other in one
 * run, each target in a JVM of its own, and reports every figure next to its baseline.
 *
 * <p>Targets: {@code diameter} (our Diameter layer with an accept-all handler), {@code jdiameter}
 * (the jdiameter 2.1.0 stateless echo server, from the test class path), {@code full-h2} (the
 * full path on a durable H2 file with the relational ledger), {@code full-journal} (the same with the
 * journal ledger, {@code ledger.journal: true}), {@code full-pg} (the same on a PostgreSQL server started
 * for the run), {@code full-journal-pg} (the journal ledger on that server, a database of its
 * own), {@code full-mem} (the same on an in-memory H2 ledger: not durable, a diagnostic that shows
 * what the path costs without the disk), {@code external} (a server already listening on
 * 127.0.0.1, {@code --port}).
 *
 * <p>A phase is {@code target:open:<sessions/s>:<duration>}, {@code target:closed:<in flight>:<duration>}
 * or {@code target:fill:<sessions>[/<sessions>...]} (opens sessions and keeps them, reads the
 * target's heap after a full GC at start and at every step, then ends them all). {@code --suite issue} runs the phases of every target
 * figure; {@code --suite smoke} a short check of each target. See BENCHMARKS.md.
 *
 * <p>Run from the repository root after {@code ./mvnw -pl benchmarks -am install -DskipTests}:
 * <pre>
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/bench-classpath.txt)" \
 *     org.arbiter.bench.rx.RxBench --suite issue --json target/rx-bench.json
 * </pre>
 * Exit code 0 when every phase ran, 1 when a target failed, 2 for bad arguments.
 */
public final class RxBench {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    private final Map<String, String> opts;
    private final PrintStream out;
    private final Path work;
    private final Path target;
    private final List<String> log = new ArrayList<>();
    private PostgresCluster postgres;

    private RxBench(Map<String, String> opts, PrintStream out) throws IOException {
        this.opts = opts;
        this.out = out;
        this.work = opts.containsKey("dir") ? Files.createDirectories(Path.of(opts.get("dir"))) : Files.createTempDirectory("rx-bench-");
        this.target = opts.containsKey("classpath-dir") ? Path.of(opts.get("classpath-dir")) : buildDir();
    }

    /**
     * Deletes the ledger files a stopped target left in the work directory (the H2 files, the
     * PostgreSQL cluster's data once it stopped): they are scratch, and a few runs fill a disk.
     * Their size is printed first.
     */
    private void discardLedger() {
        List<String> dirs = new ArrayList<>(List.of("ledger", "journal-ledger"));
        if (postgres == null) {
            dirs.add("data");
        }
        for (String name : dirs) {
            Path dir = work.resolve(name);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var files = Files.walk(dir)) {
                List<Path> all = files.sorted(java.util.Comparator.reverseOrder()).toList();
                long bytes = 0;
                for (Path f : all) {
                    if (Files.isRegularFile(f)) {
                        bytes += Files.size(f);
                    }
                }
                for (Path f : all) {
                    Files.deleteIfExists(f);
                }
                out.printf(Locale.ROOT, "  removed the ledger files in %s (%.1f MB)%n", dir, bytes / 1e6);
            } catch (IOException e) {
                out.println("  could not remove " + dir + ": " + e.getMessage());
            }
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> phases = new ArrayList<>();
        try {
            for (int i = 0; i < argv.length; i++) {
                String a = argv[i];
                if (!a.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + a + "'");
                }
                String key = a.substring(2);
                String value;
                int eq = key.indexOf('=');
                if (eq > 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                } else if (key.equals("jfr") || key.equals("update") || key.equals("help")) {
                    value = "true";
                } else if (i + 1 < argv.length) {
                    value = argv[++i];
                } else {
                    throw new IllegalArgumentException("--" + key + " needs a value");
                }
                if (key.equals("phase")) {
                    phases.add(value);
                } else {
                    opts.put(key, value);
                }
            }
            if (opts.containsKey("help")) {
                System.out.println(usage());
                return;
            }
            if (opts.containsKey("suite")) {
                phases.addAll(suite(opts.get("suite")));
            }
            if (phases.isEmpty()) {
                throw new IllegalArgumentException("no phase: give --suite issue|smoke or --phase target:mode:value[:duration]");
            }
            for (String p : phases) {
                PhaseSpec.parse(p);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("rx-bench: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        RxBench bench = new RxBench(opts, System.out);
        int code = bench.run(phases);
        System.exit(code);
    }

    static String usage() {
        return """
                usage: RxBench (--suite issue|smoke | --phase TARGET:MODE:VALUE[:DURATION] ...) [options]
                  TARGET   diameter | jdiameter | full-h2 | full-journal | full-pg | full-journal-pg | full-mem (not durable)
                           | external (needs --port)
                  MODE     open (VALUE sessions/s) | closed (VALUE sessions in flight)
                           | fill (VALUE sessions kept open; steps 10000/30000 read the heap at each)
                  --warmup 10s            load before each measurement window (default 10s)
                  --connections 4         Diameter connections of the generator (default 4)
                  --client-threads 1      generator event-loop threads (default 1)
                  --lines 10000           subscriber lines in the generated topology (default 10000)
                  --update                send an update AAR in every session
                  --hold-ms 0             time between the last AAA and the STR (default 0)
                  --fill-concurrency 64   AARs (and then STRs) in flight while filling and releasing (default 64)
                  --target-heap 512m      -Xms and -Xmx of the target JVMs (default 512m)
                  --target-jvm "-XX:.."   more options of the target JVMs: -XX:, -Dname=value and -Xlog: options
                                          (e.g. "-XX:MaxGCPauseMillis=5 -Djdk.virtualThreadScheduler.parallelism=1");
                                          -XX:+UseTransparentHugePages is added where the kernel offers them
                                          (as ./arbiter serve does) unless this names that option
                  --pool-size 10          ledger connections of the full path (default 10, as arbiter serve)
                  --device-latency-ms 0   latency of every lab device call (default 0)
                  --handler-concurrency 64  Rx handler calls at once in the full-path targets (default as arbiter serve:
                                          64, full-journal and full-journal-pg 512)
                  --max-in-flight 256     requests accepted at once by the full-path targets (default as arbiter serve:
                                          256, full-journal and full-journal-pg 1024)
                  --port P                the port of the external target (127.0.0.1 only)
                  --jfr                   record the targets with JFR (profile settings) and print their hotspots
                  --json FILE             write every report as JSON
                  --dir DIR               work directory (default: a new temporary directory)
                """;
    }

    static List<String> suite(String name) {
        return switch (name) {
            case "smoke" -> List.of("diameter:closed:64:5s", "jdiameter:closed:64:5s", "full-h2:closed:16:5s", "full-h2:open:20:5s");
            case "issue" -> List.of(
                    "diameter:closed:128:30s",
                    "jdiameter:closed:128:30s",
                    "full-h2:closed:32:30s",
                    "full-h2:open:5000:30s",
                    "full-h2:open:10000:60s",
                    "full-journal:closed:128:30s",
                    "full-journal:open:5000:30s",
                    "full-journal:open:10000:60s",
                    "full-pg:closed:32:30s",
                    "full-pg:fill:2000/6000",
                    "full-pg:open:3000:30s",
                    "full-journal-pg:closed:512:30s",
                    "full-journal-pg:open:3000:30s",
                    "full-mem:closed:32:30s",
                    "full-mem:open:5000:30s");
            default -> throw new IllegalArgumentException("unknown suite '" + name + "'; allowed: issue, smoke");
        };
    }

    /**
     * One phase as given on the command line.
     *
     * @param steps fill only: the numbers of open sessions at which the heap is read, increasing
     */
    record PhaseSpec(String target, String mode, double value, Duration duration, List<Long> steps) {
        static PhaseSpec parse(String s) {
            String[] p = s.split(":");
            if (p.length < 3 || p.length > 4) {
                throw new IllegalArgumentException("phase '" + s + "' is not TARGET:MODE:VALUE[:DURATION]");
            }
            if (!List.of("diameter", "jdiameter", "full-h2", "full-journal", "full-pg", "full-journal-pg", "full-mem", "external").contains(p[0])) {
                throw new IllegalArgumentException("phase '" + s + "': unknown target '" + p[0]
                        + "'; allowed: diameter, jdiameter, full-h2, full-journal, full-pg, full-journal-pg, full-mem, external");
            }
            if (!List.of("open", "closed", "fill").contains(p[1])) {
                throw new IllegalArgumentException("phase '" + s + "': unknown mode '" + p[1] + "'; allowed: open, closed, fill");
            }
            List<Long> steps = new ArrayList<>();
            double v = 0;
            for (String part : p[2].split("/", -1)) {
                try {
                    v = Double.parseDouble(part);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("phase '" + s + "': '" + part + "' is not a number");
                }
                if (v <= 0 || (!steps.isEmpty() && v <= steps.getLast())) {
                    throw new IllegalArgumentException("phase '" + s + "': values must be > 0 and increasing");
                }
                steps.add((long) v);
            }
            if (steps.size() > 1 && !p[1].equals("fill")) {
                throw new IllegalArgumentException("phase '" + s + "': only fill phases take several values (a/b/c)");
            }
            Duration d = p.length == 4 ? parseDuration("phase " + s, p[3]) : Duration.ofSeconds(30);
            return new PhaseSpec(p[0], p[1], v, d, p[1].equals("fill") ? List.copyOf(steps) : List.of());
        }

        String label() {
            return target + " " + mode + " " + (mode.equals("fill") ? p(steps) : (long) value + " " + duration.toSeconds() + "s");
        }

        private static String p(List<Long> steps) {
            return String.join("/", steps.stream().map(String::valueOf).toList());
        }
    }

    static Duration parseDuration(String key, String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a duration; write 500ms, 30s or 2m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    private int intOpt(String key, int dflt, int min, int max) {
        String v = opts.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + key + ": '" + v + "' is not allowed; allowed: an integer in " + min + ".." + max);
    }

    private int run(List<String> phaseTexts) throws Exception {
        List<PhaseSpec> phases = phaseTexts.stream().map(PhaseSpec::parse).toList();
        int lines = intOpt("lines", 10_000, 1, BenchWorld.MAX_LINES);
        int connections = intOpt("connections", 4, 1, RxTraffic.MAX_PEERS);
        int clientThreads = intOpt("client-threads", 1, 1, 64);
        int holdMs = intOpt("hold-ms", 0, 0, 3_600_000);
        int fillConcurrency = intOpt("fill-concurrency", 64, 1, 100_000);
        Duration warmup = parseDuration("--warmup", opts.getOrDefault("warmup", "10s"));
        boolean update = Boolean.parseBoolean(opts.getOrDefault("update", "false"));
        BenchWorld.write(work, lines);
        RxTraffic traffic = new RxTraffic("rx.test", "pdp.test", Instant.now().getEpochSecond() % 10_000_000_000L,
                BenchWorld.ueAddresses(lines));

        out.printf(Locale.ROOT, "Rx benchmark: %d cores, %s %s, Java %s, load average %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"), loadAverage());
        out.printf(Locale.ROOT, "work directory %s; %d lines; %d connections, %d generator thread(s) (%s); update AAR %s; hold %d ms%n",
                work, lines, connections, clientThreads, RxLoadGenerator.transport(), update ? "yes" : "no", holdMs);
        out.println("target JVM options: " + String.join(" ", targetJvm()));
        List<String> json = new ArrayList<>();
        List<LoadReport> reports = new ArrayList<>();
        TargetProcess running = null;
        String runningName = null;
        int failures = 0;
        try {
            for (int i = 0; i < phases.size(); i++) {
                PhaseSpec spec = phases.get(i);
                if (!spec.target().equals(runningName)) {
                    if (running != null) {
                        running.close();
                        discardLedger();
                    }
                    running = null;
                    runningName = spec.target();
                    if (!spec.target().equals("external")) {
                        try {
                            running = start(spec.target(), lines, traffic);
                        } catch (RuntimeException e) {
                            out.println("  target " + spec.target() + " failed to start: " + e.getMessage());
                            failures++;
                            runningName = null;
                            continue;
                        }
                    }
                }
                int port = running != null ? running.port : intOpt("port", 0, 1, 65535);
                if (port == 0) {
                    throw new IllegalArgumentException("the external target needs --port");
                }
                out.printf(Locale.ROOT, "%n== %s (load average %s)%n", spec.label(), loadAverage());
                try (RxLoadGenerator gen = RxLoadGenerator.connect(traffic, port, connections, clientThreads, Duration.ofSeconds(10))) {
                    if (spec.mode().equals("fill")) {
                        if (running != null) {
                            heapLine(spec.label() + " heap at 0", 0, running.heap(), json);
                        }
                        long opened = 0;
                        for (long step : spec.steps()) {
                            long n = step - opened;
                            RxLoadGenerator.Phase fill = RxLoadGenerator.Phase.closed(fillConcurrency, Duration.ZERO,
                                    Duration.ofSeconds(Math.min(3600, n / 20 + 60))).withHold(null).withUpdate(update).withMaxSessions(n);
                            LoadReport r = gen.run(spec.label() + " to " + step, fill, out, cpuOf(running));
                            out.println(r.summary());
                            reports.add(r);
                            json.add(r.toJson());
                            opened = step;
                            if (running != null) {
                                heapLine(spec.label() + " heap at " + step, gen.parked(), running.heap(), json);
                            }
                        }
                        LoadReport released = gen.release(spec.label() + " release", fillConcurrency, Duration.ofSeconds(5), out);
                        out.println(released.summary());
                        reports.add(released);
                        json.add(released.toJson());
                    } else {
                        RxLoadGenerator.Phase p = spec.mode().equals("open")
                                ? RxLoadGenerator.Phase.open(spec.value(), warmup, spec.duration())
                                : RxLoadGenerator.Phase.closed((int) spec.value(), warmup, spec.duration());
                        p = p.withHold(Duration.ofMillis(holdMs)).withUpdate(update);
                        LoadReport r = gen.run(spec.label(), p, out, cpuOf(running));
                        out.println(r.summary());
                        reports.add(r);
                        json.add(r.toJson());
                    }
                } catch (IllegalStateException e) {
                    out.println("  phase failed: " + e.getMessage());
                    failures++;
                }
            }
        } finally {
            if (running != null) {
                running.close();
                discardLedger();
            }
            if (postgres != null) {
                postgres.close();
                postgres = null;
                discardLedger();
            }
        }
        out.printf(Locale.ROOT, "%n== summary (load average %s)%n", loadAverage());
        for (LoadReport r : reports) {
            String cpu = r.targetCpuMicrosPerSession() < 0 ? "target CPU n/a"
                    : String.format(Locale.ROOT, "target %5.2f cores %7.0f us/session", r.targetCores(), r.targetCpuMicrosPerSession());
            out.printf(Locale.ROOT, "%-34s %9.0f sessions/s  AAR p99 %8.3f ms  STR p99 %8.3f ms  errors %6d  %s%n",
                    r.label(), r.sessionsPerSecond(), r.command("AAR").p99Ms(), r.command("STR").p99Ms(), r.errors(), cpu);
        }
        ratios(reports);
        if (opts.containsKey("jfr")) {
            for (String line : log) {
                out.println(line);
            }
        }
        if (opts.containsKey("json")) {
            String doc = "{\"machine\":{\"cores\":" + Runtime.getRuntime().availableProcessors() + ",\"java\":"
                    + LoadReport.quote(System.getProperty("java.version")) + ",\"loadAverageAtEnd\":" + LoadReport.quote(loadAverage())
                    + "},\"reports\":[" + String.join(",", json) + "]}";
            Files.writeString(Path.of(opts.get("json")), doc + "\n");
            out.println("JSON written to " + opts.get("json"));
        }
        return failures == 0 ? 0 : 1;
    }

    private void heapLine(String label, int open, long[] heap, List<String> json) {
        out.printf(Locale.ROOT, "  heap after full GC with %d sessions open: used %.1f MiB, committed %.1f MiB, max %.1f MiB%n",
                open, heap[0] / 1048576.0, heap[1] / 1048576.0, heap[2] / 1048576.0);
        json.add("{\"label\":" + LoadReport.quote(label) + ",\"openSessions\":" + open + ",\"heapUsedBytes\":" + heap[0]
                + ",\"heapCommittedBytes\":" + heap[1] + ",\"heapMaxBytes\":" + heap[2] + "}");
    }

    /** Ratios between targets measured in this run with the same load model. */
    private void ratios(List<LoadReport> reports) {
        LoadReport diameter = first(reports, "diameter closed");
        LoadReport jdiameter = first(reports, "jdiameter closed");
        if (diameter != null && jdiameter != null) {
            out.printf(Locale.ROOT, "Diameter layer / jdiameter echo: throughput %.2fx (%.0f vs %.0f sessions/s), AAR p99 %.3f vs %.3f ms, "
                            + "CPU per session %.2fx (%.0f vs %.0f us)%n",
                    diameter.sessionsPerSecond() / jdiameter.sessionsPerSecond(), diameter.sessionsPerSecond(), jdiameter.sessionsPerSecond(),
                    diameter.command("AAR").p99Ms(), jdiameter.command("AAR").p99Ms(),
                    diameter.targetCpuMicrosPerSession() / jdiameter.targetCpuMicrosPerSession(), diameter.targetCpuMicrosPerSession(),
                    jdiameter.targetCpuMicrosPerSession());
        }
        LoadReport full = first(reports, "full-h2 closed");
        if (full != null && diameter != null) {
            out.printf(Locale.ROOT, "full path (H2) / Diameter layer: %.4fx (%.0f vs %.0f sessions/s)%n",
                    full.sessionsPerSecond() / diameter.sessionsPerSecond(), full.sessionsPerSecond(), diameter.sessionsPerSecond());
        }
        LoadReport journal = first(reports, "full-journal closed");
        if (journal != null && full != null) {
            out.printf(Locale.ROOT, "full path journal ledger / relational ledger, both H2 file: %.2fx (%.0f vs %.0f sessions/s; "
                    + "%.0f vs %.0f us of CPU per session)%n", journal.sessionsPerSecond() / full.sessionsPerSecond(),
                    journal.sessionsPerSecond(), full.sessionsPerSecond(), journal.targetCpuMicrosPerSession(),
                    full.targetCpuMicrosPerSession());
        }
        LoadReport pg = first(reports, "full-pg closed");
        if (pg != null && full != null) {
            out.printf(Locale.ROOT, "full path PostgreSQL / H2: %.2fx (%.0f vs %.0f sessions/s)%n",
                    pg.sessionsPerSecond() / full.sessionsPerSecond(), pg.sessionsPerSecond(), full.sessionsPerSecond());
        }
        LoadReport journalPg = first(reports, "full-journal-pg closed");
        if (journalPg != null && pg != null) {
            out.printf(Locale.ROOT, "full path on PostgreSQL, journal ledger / relational ledger: %.2fx (%.0f vs %.0f sessions/s; "
                    + "%.0f vs %.0f us of CPU per session)%n", journalPg.sessionsPerSecond() / pg.sessionsPerSecond(),
                    journalPg.sessionsPerSecond(), pg.sessionsPerSecond(), journalPg.targetCpuMicrosPerSession(),
                    pg.targetCpuMicrosPerSession());
        }
        LoadReport mem = first(reports, "full-mem closed");
        if (mem != null && diameter != null) {
            out.printf(Locale.ROOT, "full path without disk (in-memory ledger) / Diameter layer: %.4fx (%.0f vs %.0f sessions/s)%n",
                    mem.sessionsPerSecond() / diameter.sessionsPerSecond(), mem.sessionsPerSecond(), diameter.sessionsPerSecond());
        }
        if (mem != null && full != null) {
            out.printf(Locale.ROOT, "full path H2 file / in-memory ledger: %.3fx (%.0f vs %.0f sessions/s): the cost of durability here%n",
                    full.sessionsPerSecond() / mem.sessionsPerSecond(), full.sessionsPerSecond(), mem.sessionsPerSecond());
        }
    }

    private static LoadReport first(List<LoadReport> reports, String prefix) {
        return reports.stream().filter(r -> r.label().startsWith(prefix)).findFirst().orElse(null);
    }

    // ---- targets -------------------------------------------------------------------------------

    /**
     * The heap options of a target JVM: {@code heap} both as its initial and its largest heap, as
     * a server is run. With a smaller initial heap G1 keeps the heap it commits small while its
     * collections take little time, so under load the young generation stays small: collections
     * come more often, survivors overflow their space, and what survives one collection is
     * promoted (BENCHMARKS.md, "The journal writer's allocations and a fixed heap").
     */
    static List<String> heapOptions(String heap) {
        if (!heap.matches("\\d+[kmg]")) {
            throw new IllegalArgumentException("--target-heap: '" + heap + "' is not allowed; allowed: a size like 512m or 2g");
        }
        return List.of("-Xms" + heap, "-Xmx" + heap);
    }

    /** The options of every target JVM: its heap, huge pages where offered, and {@code --target-jvm}. */
    private List<String> targetJvm() {
        List<String> cmd = new ArrayList<>(heapOptions(opts.getOrDefault("target-heap", "512m")));
        List<String> jvm = targetJvmOptions(opts.getOrDefault("target-jvm", ""));
        if (jvm.stream().noneMatch(o -> o.contains("UseTransparentHugePages")) && hugePagesOffered(THP_SETTING)) {
            cmd.add("-XX:+UseTransparentHugePages");
        }
        cmd.addAll(jvm);
        return cmd;
    }

    /** Where Linux says whether a process may ask for transparent huge pages. */
    static final Path THP_SETTING = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    /**
     * Whether the kernel gives transparent huge pages to a process that asks ({@code [madvise]} or
     * {@code [always]} in {@code setting}). The target JVMs then run with
     * {@code -XX:+UseTransparentHugePages}, as {@code ./arbiter serve} does, unless
     * {@code --target-jvm} names that option.
     */
    static boolean hugePagesOffered(Path setting) {
        try {
            String s = Files.readString(setting);
            return s.contains("[madvise]") || s.contains("[always]");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The options of {@code --target-jvm}, separated by spaces: -XX: options, system properties
     * ({@code -Dname=value}) and -Xlog: options, nothing else (the heap is {@code --target-heap},
     * the class path the benchmark's). Given here rather than in {@code JAVA_TOOL_OPTIONS}, they
     * reach the targets only, not the generator.
     */
    static List<String> targetJvmOptions(String value) {
        List<String> out = new ArrayList<>();
        for (String option : value.trim().split("\\s+")) {
            if (option.isEmpty()) {
                continue;
            }
            boolean property = option.startsWith("-D") && option.length() > 2 && option.charAt(2) != '=';
            if (!option.startsWith("-XX:") && !property && !option.startsWith("-Xlog:")) {
                throw new IllegalArgumentException("--target-jvm: '" + option + "' is not allowed; allowed: -XX: options, "
                        + "-Dname=value and -Xlog: options, separated by spaces (the heap is --target-heap)");
            }
            out.add(option);
        }
        return out;
    }

    private TargetProcess start(String name, int lines, RxTraffic traffic) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(targetJvm());
        if (opts.containsKey("jfr")) {
            cmd.add("-XX:StartFlightRecording=filename=" + work.resolve(name + ".jfr") + ",settings=profile,dumponexit=true");
        }
        String classes = target.resolve("classes").toString();
        switch (name) {
            case "jdiameter" -> {
                cmd.addAll(List.of("-cp", target.resolve("test-classes") + ":" + classes + ":" + classpath("bench-test-classpath.txt"),
                        "org.arbiter.bench.rx.JdiameterEchoServer"));
            }
            case "diameter" -> cmd.addAll(List.of("-cp", classes + ":" + classpath("bench-classpath.txt"),
                    BenchTarget.class.getName(), "diameter"));
            default -> {
                cmd.addAll(List.of("-cp", classes + ":" + classpath("bench-classpath.txt"), BenchTarget.class.getName(), "full",
                        "dir=" + work, "lines=" + lines, "pool-size=" + intOpt("pool-size", 10, 1, 500),
                        "device-latency-ms=" + intOpt("device-latency-ms", 0, 0, 60_000),
                        // the defaults of arbiter serve for the ledger the target runs on
                        "handler-concurrency=" + intOpt("handler-concurrency", name.startsWith("full-journal") ? 512 : 64, 1, 100_000),
                        "max-in-flight=" + intOpt("max-in-flight", name.startsWith("full-journal") ? 1024 : 256, 1, 1_000_000)));
                if (name.equals("full-pg") || name.equals("full-journal-pg")) {
                    if (postgres == null) {
                        out.println("starting PostgreSQL for the " + name + " target ...");
                        postgres = PostgresCluster.start(work);
                    }
                    if (name.equals("full-journal-pg")) {
                        cmd.add("url=" + postgres.jdbcUrl("journal"));
                        cmd.add("journal=true");
                    } else {
                        cmd.add("url=" + postgres.jdbcUrl());
                    }
                } else if (name.equals("full-mem")) {
                    cmd.add("url=jdbc:h2:mem:rx-bench;DB_CLOSE_DELAY=-1");
                } else if (name.equals("full-journal")) {
                    cmd.add("journal=true");
                }
            }
        }
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            int port = 0;
            if (name.equals("jdiameter")) {
                port = freePort();
                cmd.add(String.valueOf(port));
            }
            TargetProcess p = new TargetProcess(name, cmd, work.resolve(name + ".log"));
            if (name.equals("jdiameter")) {
                cmd.removeLast();
            }
            try {
                p.awaitReady(Duration.ofSeconds(120));
                try (RxLoadGenerator probe = RxLoadGenerator.connect(traffic, p.port, 1, 1, Duration.ofSeconds(5))) {
                    out.printf(Locale.ROOT, "target %s listening on 127.0.0.1:%d (CER/CEA checked, attempt %d)%n", name, p.port, attempt);
                }
                if (opts.containsKey("jfr")) {
                    log.add("JFR recording of " + name + ": " + work.resolve(name + ".jfr"));
                }
                return p;
            } catch (IllegalStateException e) {
                last = e;
                out.printf(Locale.ROOT, "target %s attempt %d failed: %s%n", name, attempt, e.getMessage());
                p.close();
            }
        }
        throw last;
    }

    private String classpath(String file) throws IOException {
        Path f = target.resolve(file);
        if (!Files.isReadable(f)) {
            throw new IllegalStateException(f + " is missing: build the benchmarks module first (./mvnw -pl benchmarks install -DskipTests)");
        }
        return Files.readString(f).trim();
    }

    private static Path buildDir() {
        try {
            Path classes = Path.of(RxBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the benchmarks build directory; give --classpath-dir", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Reads the CPU time of a target process from /proc, or null for none. */
    private static TargetCpu cpuOf(TargetProcess p) {
        return p == null ? null : new TargetCpu(p.process.pid());
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** A target JVM started by this run: READY on its standard output, commands on its input. */
    private static final class TargetProcess implements AutoCloseable {
        final String name;
        final Process process;
        final Writer stdin;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        int port;

        TargetProcess(String name, List<String> cmd, Path log) throws IOException {
            this.name = name;
            this.process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("EOF " + e.getMessage());
                }
                lines.add("EOF");
            }, "target-" + name + "-out");
            reader.setDaemon(true);
            reader.start();
        }

        void awaitReady(Duration timeout) {
            String line = next("READY ", timeout);
            port = Integer.parseInt(line.substring("READY ".length()).trim());
        }

        long[] heap() throws IOException {
            stdin.write("heap\n");
            stdin.flush();
            String[] f = next("HEAP ", Duration.ofSeconds(60)).split(" ");
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
        }

        private String next(String prefix, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                while (true) {
                    String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (line == null) {
                        throw new IllegalStateException("target " + name + " did not print " + prefix.trim() + " within " + timeout);
                    }
                    if (line.startsWith("EOF")) {
                        throw new IllegalStateException("target " + name + " exited (see its log in the work directory)");
                    }
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for target " + name, e);
            }
        }

        @Override
        public void close() {
            try {
                stdin.write("stop\n");
                stdin.close();
            } catch (IOException e) {
                // it is gone already
            }
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
