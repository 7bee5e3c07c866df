package org.arbiter.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One SIPp 3.6 run of a scenario kept in the test resources ({@code sipp/*.xml}): a caller (UAC)
 * towards the P-CSCF or a callee (UAS) the P-CSCF forwards to, on 127.0.0.1 with the ports the
 * test chose, for a fixed number of calls ({@code -m}).
 *
 * <p>Everything SIPp writes lands in the test's directory under the run's name: statistics
 * ({@code NAME-stats.csv}, read by {@link #await}), unexpected messages ({@code NAME-errors.log}),
 * every message ({@code NAME-messages.log}), the final screen ({@code NAME-screen.log}) and
 * standard output ({@code NAME.out}). The run is bounded twice: by SIPp's own global timeout and
 * by {@link #await}'s, after which the process is killed.
 *
 * <p>SIPp 3.6.1 facts this relies on: {@code <pause/>} takes its length from {@code -d}
 * ({@code milliseconds="[key]"} does not work); {@code -bg} loses the process id, so it is not used.
 *
 * <p>Not thread-safe; one test drives it.
 */
final class SippProcess implements AutoCloseable {

    /**
     * What a run did, from SIPp's exit code and its last cumulative statistics.
     *
     * @param name the run's name
     * @param exitCode SIPp's exit code: 0 every call succeeded, 1 some failed, 255/254 fatal
     * @param created calls started
     * @param successful calls that ran their scenario to the end
     * @param failed calls that failed
     * @param unexpectedMessages calls failed on an unexpected message
     * @param meanResponseTime mean time from the first message to the {@code rtd} one (INVITE to final answer)
     * @param meanCallLength mean call length
     */
    record Result(String name, int exitCode, long created, long successful, long failed, long unexpectedMessages,
                  Duration meanResponseTime, Duration meanCallLength) {}

    private final String name;
    private final Path dir;
    private final Process process;

    private SippProcess(String name, Path dir, Process process) {
        this.name = name;
        this.dir = dir;
        this.process = process;
    }

    /**
     * Starts SIPp.
     *
     * @param dir the test's directory
     * @param name the run's name (file prefix)
     * @param scenario the scenario resource under {@code sipp/}, e.g. {@code uac-call.xml}
     * @param remote {@code host:port} of the P-CSCF for a caller, or {@code null} for a callee
     * @param localPort the UDP port SIPp listens on
     * @param controlPort SIPp's UDP control port (the default 8888 may be taken)
     * @param calls the number of calls after which SIPp exits
     * @param globalTimeout SIPp's own bound on the whole run
     * @param options further options ({@code -r}, {@code -d}, {@code -key}, {@code -recv_timeout} ...)
     */
    static SippProcess start(Path dir, String name, String scenario, String remote, int localPort, int controlPort,
                             int calls, Duration globalTimeout, List<String> options) {
        Path sipp = Binaries.require("sipp", "sip-tester");
        Path sf = Templates.copy("sipp/" + scenario, dir.resolve(scenario));
        List<String> cmd = new ArrayList<>(List.of(sipp.toString()));
        if (remote != null) {
            cmd.add(remote);
        }
        cmd.addAll(List.of("-sf", sf.toString(), "-i", "127.0.0.1", "-p", Integer.toString(localPort),
                "-cp", Integer.toString(controlPort), "-nostdin", "-m", Integer.toString(calls),
                "-trace_stat", "-stf", dir.resolve(name + "-stats.csv").toString(), "-fd", "1",
                "-trace_err", "-error_file", dir.resolve(name + "-errors.log").toString(),
                "-trace_msg", "-message_file", dir.resolve(name + "-messages.log").toString(),
                "-trace_screen", "-screen_file", dir.resolve(name + "-screen.log").toString(),
                "-timeout", globalTimeout.toSeconds() + "s", "-timeout_error"));
        cmd.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile());
        try {
            return new SippProcess(name, dir, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + sipp, e);
        }
    }

    /** Waits for SIPp to exit and reads its statistics; fails when it runs past {@code timeout}. */
    Result await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new AssertionError("SIPp run '" + name + "' did not end within " + timeout.toSeconds() + " s; "
                        + report());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new AssertionError("interrupted while waiting for SIPp run '" + name + "'", e);
        }
        Map<String, String> stats = lastStatistics();
        return new Result(name, process.exitValue(), count(stats, "TotalCallCreated"), count(stats, "SuccessfulCall(C)"),
                count(stats, "FailedCall(C)"), count(stats, "FailedUnexpectedMessage(C)"),
                duration(stats.get("ResponseTime1(C)")), duration(stats.get("CallLength(C)")));
    }

    /** SIPp's unexpected-message log, final screen and last output lines, for failure messages. */
    String report() {
        return "errors:\n" + read(dir.resolve(name + "-errors.log"), 40) + "\nscreen:\n" + read(dir.resolve(name + "-screen.log"), 60)
                + "\noutput:\n" + read(dir.resolve(name + ".out"), 15);
    }

    /**
     * Waits until SIPp's message log shows a line starting with {@code firstLine} (SIPp writes
     * each message as it sends or receives it); fails after {@code timeout}.
     */
    void awaitMessage(String firstLine, Duration timeout) {
        Poll.until(timeout, "'" + firstLine + "' in the messages of SIPp run '" + name + "'",
                () -> messages().lines().anyMatch(l -> l.startsWith(firstLine)), this::report);
    }

    /** The messages SIPp sent and received. */
    String messages() {
        return read(dir.resolve(name + "-messages.log"), Integer.MAX_VALUE);
    }

    private Map<String, String> lastStatistics() {
        Path csv = dir.resolve(name + "-stats.csv");
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.ISO_8859_1).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new AssertionError("SIPp run '" + name + "' (exit " + process.exitValue() + ") wrote no statistics " + csv + "; "
                    + report(), e);
        }
        if (lines.size() < 2) {
            throw new AssertionError("SIPp run '" + name + "' (exit " + process.exitValue() + ") wrote no statistics row; " + report());
        }
        String[] keys = lines.getFirst().split(";", -1);
        String[] values = lines.getLast().split(";", -1);
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < Math.min(keys.length, values.length); i++) {
            out.put(keys[i].trim(), values[i].trim());
        }
        return out;
    }

    private long count(Map<String, String> stats, String key) {
        String v = stats.get(key);
        if (v == null) {
            throw new AssertionError("SIPp statistics of '" + name + "' have no column " + key + ": " + stats.keySet());
        }
        return Long.parseLong(v);
    }

    /** {@code HH:MM:SS:micros} as SIPp writes durations; zero when absent. */
    private static Duration duration(String v) {
        if (v == null || v.isEmpty()) {
            return Duration.ZERO;
        }
        String[] p = v.split(":");
        if (p.length != 4) {
            return Duration.ZERO;
        }
        return Duration.ofHours(Long.parseLong(p[0])).plusMinutes(Long.parseLong(p[1])).plusSeconds(Long.parseLong(p[2]))
                .plusNanos(Long.parseLong(p[3]) * 1000);
    }

    private static String read(Path file, int lastLines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lastLines), all.size()));
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }

    /** Kills SIPp when it still runs (a run that ended is left alone). */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
