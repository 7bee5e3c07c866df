package org.arbiter.bench.rx;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one phase of load measured: sessions, transactions, latency percentiles and result codes
 * per command. Everything counts what was sent inside the measurement window (after the warm-up),
 * including the answers that came in while the generator drained afterwards.
 *
 * @param label what ran (target and phase)
 * @param seconds the length of the measurement window
 * @param sessionsStarted sessions whose first request was sent in the window
 * @param sessionsCompleted of those, sessions whose every request got a 2xxx answer
 * @param sessionsFailed of those, sessions with a non-2xxx answer, a timeout or a lost connection
 * @param transactions answers received to requests sent in the window
 * @param timeouts requests that got no answer within the answer timeout
 * @param skipped open loop only: session starts not sent because the outstanding limit was reached
 *     (the target fell behind the offered rate)
 * @param targetCpuSeconds CPU time (user + system) the target process used in the window, or -1
 *     when unknown (an external target)
 * @param generatorCpuSeconds CPU time the generator's JVM used in the window, or -1
 * @param commands per command ({@code AAR}, {@code AAR-update}, {@code STR}): latency and result codes
 * @param aarTimeline the first AARs' latency per 100 ms window of the measurement window, or
 *     {@code null} when none was answered
 * @param targetThreads the target's CPU time in the window by group of threads ({@link TargetCpu}),
 *     empty when unknown
 * @param machine how the machine's CPUs spent the window ({@link MachineCpu}), or {@code null}
 *     when unknown
 */
public record LoadReport(String label, double seconds, long sessionsStarted, long sessionsCompleted, long sessionsFailed,
                         long transactions, long timeouts, long skipped, double targetCpuSeconds, double generatorCpuSeconds,
                         Map<String, CommandStats> commands, LatencyTimeline aarTimeline, Map<String, TargetCpu.Use> targetThreads,
                         MachineCpu.Share machine) {

    /**
     * Latency (milliseconds) and result codes of one command.
     *
     * @param count answers received
     * @param resultCodes answers by Result-Code or Experimental-Result-Code (-1: none), plus
     *     {@code timeout} entries counted under code 0
     */
    public record CommandStats(long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double p999Ms,
                               double maxMs, Map<Long, Long> resultCodes) {

        static CommandStats of(LatencyHistogram h, Map<Long, Long> codes) {
            return new CommandStats(h.count(), h.mean() / 1e6, ms(h.valueAt(50)), ms(h.valueAt(90)), ms(h.valueAt(99)),
                    ms(h.valueAt(99.9)), ms(h.max()), new TreeMap<>(codes));
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }

        /** Answers that were not 2xxx. */
        public long errors() {
            long n = 0;
            for (Map.Entry<Long, Long> e : resultCodes.entrySet()) {
                if (e.getKey() < 2000 || e.getKey() >= 3000) {
                    n += e.getValue();
                }
            }
            return n;
        }
    }

    public LoadReport {
        commands = new LinkedHashMap<>(commands);
        targetThreads = new LinkedHashMap<>(targetThreads);
    }

    /** Completed sessions per second of the window. */
    public double sessionsPerSecond() {
        return seconds <= 0 ? 0 : sessionsCompleted / seconds;
    }

    /** Answered transactions per second of the window. */
    public double transactionsPerSecond() {
        return seconds <= 0 ? 0 : transactions / seconds;
    }

    /**
     * CPU microseconds the target spent per completed session, or -1 when unknown: on a shared
     * machine a steadier figure than sessions per second, because it does not depend on how much
     * CPU the target got.
     */
    public double targetCpuMicrosPerSession() {
        return targetCpuSeconds < 0 || sessionsCompleted == 0 ? -1 : targetCpuSeconds * 1e6 / sessionsCompleted;
    }

    /** Nanoseconds of CPU as microseconds per completed session. */
    private double perSession(long nanos) {
        return nanos / 1e3 / sessionsCompleted;
    }

    /** The share of one core the target used in the window, or -1 when unknown. */
    public double targetCores() {
        return targetCpuSeconds < 0 || seconds <= 0 ? -1 : targetCpuSeconds / seconds;
    }

    /** Non-2xxx answers and timeouts (counted under code 0). */
    public long errors() {
        long n = 0;
        for (CommandStats c : commands.values()) {
            n += c.errors();
        }
        return n;
    }

    /** The stats of one command, or an empty one. */
    public CommandStats command(String name) {
        CommandStats c = commands.get(name);
        return c != null ? c : CommandStats.of(new LatencyHistogram(), Map.of());
    }

    /** One line for people. */
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s %9.0f sessions/s %9.0f tx/s  errors %d  timeouts %d  skipped %d",
                label, sessionsPerSecond(), transactionsPerSecond(), errors(), timeouts, skipped));
        if (targetCpuSeconds >= 0) {
            sb.append(String.format(Locale.ROOT, "%n    target CPU %.2f cores, %.0f us per session; generator CPU %.2f cores",
                    targetCores(), targetCpuMicrosPerSession(), generatorCpuSeconds / seconds));
        }
        if (!targetThreads.isEmpty() && sessionsCompleted > 0) {
            boolean waits = targetThreads.values().stream().anyMatch(u -> u.waitNanos() > 0);
            sb.append(waits ? "\n    target threads, us per session (system; waiting for a CPU):"
                    : "\n    target threads, us per session (system):");
            String sep = " ";
            for (Map.Entry<String, TargetCpu.Use> e : targetThreads.entrySet()) {
                TargetCpu.Use u = e.getValue();
                sb.append(waits ? String.format(Locale.ROOT, "%s%s %.0f (%.0f; %.0f)", sep, e.getKey(), perSession(u.totalNanos()),
                                perSession(u.systemNanos()), perSession(u.waitNanos()))
                        : String.format(Locale.ROOT, "%s%s %.0f (%.0f)", sep, e.getKey(), perSession(u.totalNanos()),
                                perSession(u.systemNanos())));
                sep = ", ";
            }
        }
        if (machine != null) {
            sb.append(String.format(Locale.ROOT, "%n    machine: busy %.0f%%, stolen by the host %.0f%%, iowait %.0f%%, idle %.0f%%",
                    100 * machine.busy(), 100 * machine.steal(), 100 * machine.iowait(), 100 * machine.idle()));
        }
        for (Map.Entry<String, CommandStats> e : commands.entrySet()) {
            CommandStats c = e.getValue();
            sb.append(String.format(Locale.ROOT, "%n    %-11s n=%-9d p50 %7.3f  p90 %7.3f  p99 %7.3f  p99.9 %7.3f  max %8.3f ms  codes %s",
                    e.getKey(), c.count(), c.p50Ms(), c.p90Ms(), c.p99Ms(), c.p999Ms(), c.maxMs(), c.resultCodes()));
        }
        if (aarTimeline != null) {
            sb.append("\n    AAR ").append(aarTimeline.summary(5));
        }
        return sb.toString();
    }

    /** The report as a JSON object. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        field(sb, "label", label).append(',');
        num(sb, "seconds", seconds).append(',');
        num(sb, "sessionsStarted", sessionsStarted).append(',');
        num(sb, "sessionsCompleted", sessionsCompleted).append(',');
        num(sb, "sessionsFailed", sessionsFailed).append(',');
        num(sb, "sessionsPerSecond", sessionsPerSecond()).append(',');
        num(sb, "transactions", transactions).append(',');
        num(sb, "transactionsPerSecond", transactionsPerSecond()).append(',');
        num(sb, "timeouts", timeouts).append(',');
        num(sb, "skipped", skipped).append(',');
        num(sb, "targetCpuSeconds", targetCpuSeconds).append(',');
        num(sb, "targetCpuMicrosPerSession", targetCpuMicrosPerSession()).append(',');
        num(sb, "generatorCpuSeconds", generatorCpuSeconds).append(',');
        sb.append("\"targetThreads\":{");
        boolean firstGroup = true;
        for (Map.Entry<String, TargetCpu.Use> e : targetThreads.entrySet()) {
            if (!firstGroup) {
                sb.append(',');
            }
            firstGroup = false;
            sb.append(quote(e.getKey())).append(":{");
            num(sb, "userSeconds", e.getValue().userNanos() / 1e9).append(',');
            num(sb, "systemSeconds", e.getValue().systemNanos() / 1e9).append(',');
            num(sb, "waitSeconds", e.getValue().waitNanos() / 1e9).append('}');
        }
        sb.append("},");
        if (machine != null) {
            sb.append("\"machine\":{");
            num(sb, "busy", machine.busy()).append(',');
            num(sb, "steal", machine.steal()).append(',');
            num(sb, "iowait", machine.iowait()).append(',');
            num(sb, "idle", machine.idle()).append("},");
        }
        sb.append("\"commands\":{");
        boolean first = true;
        for (Map.Entry<String, CommandStats> e : commands.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            CommandStats c = e.getValue();
            sb.append(quote(e.getKey())).append(":{");
            num(sb, "count", c.count()).append(',');
            num(sb, "meanMs", c.meanMs()).append(',');
            num(sb, "p50Ms", c.p50Ms()).append(',');
            num(sb, "p90Ms", c.p90Ms()).append(',');
            num(sb, "p99Ms", c.p99Ms()).append(',');
            num(sb, "p999Ms", c.p999Ms()).append(',');
            num(sb, "maxMs", c.maxMs()).append(',');
            sb.append("\"resultCodes\":{");
            boolean f2 = true;
            for (Map.Entry<Long, Long> rc : c.resultCodes().entrySet()) {
                if (!f2) {
                    sb.append(',');
                }
                f2 = false;
                sb.append('"').append(rc.getKey()).append("\":").append(rc.getValue());
            }
            sb.append("}}");
        }
        sb.append('}');
        if (aarTimeline != null) {
            sb.append(",\"aarSlowWindows\":[");
            boolean fw = true;
            for (LatencyTimeline.Window w : aarTimeline.slowWindows()) {
                if (!fw) {
                    sb.append(',');
                }
                fw = false;
                sb.append('{');
                num(sb, "offsetMs", w.offsetMillis()).append(',');
                num(sb, "epochMs", w.epochMillis()).append(',');
                num(sb, "sent", w.sent()).append(',');
                num(sb, "slow", w.slow()).append(',');
                num(sb, "maxMs", w.maxMillis()).append('}');
            }
            sb.append(']');
        }
        return sb.append('}').toString();
    }

    static StringBuilder field(StringBuilder sb, String name, String value) {
        return sb.append(quote(name)).append(':').append(quote(value));
    }

    static StringBuilder num(StringBuilder sb, String name, double value) {
        sb.append(quote(name)).append(':');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return sb.append((long) value);
        }
        return sb.append(String.format(Locale.ROOT, "%.3f", value));
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
