package org.arbiter.bench.rx;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time of a target process, in all and by group of threads, read from Linux's
 * {@code /proc}: which of the target's threads a phase's CPU went to (the carrier threads of the
 * Rx handlers' virtual threads, the Diameter event loops, the journal's writer and marker,
 * the collector, the JIT compiler), user and system time apart. A steadier figure than a profile
 * for comparing two builds: it counts every tick, and the system time of each group shows what
 * its system calls cost. With each group's CPU time goes the time its threads were ready to run
 * but waited for a CPU ({@code schedstat}'s run-queue wait): what a crowded machine, the host's
 * other guests included, adds to every hand-off between two threads.
 *
 * <p>A thread is known by the name the kernel keeps (the first 15 characters of the Java name). A
 * thread that ended between two readings is not counted; one that started is counted from zero.
 */
public final class TargetCpu {

    /** Nanoseconds per clock tick of {@code /proc/<pid>/stat} ({@code USER_HZ}, 100 on Linux). */
    static final long TICK_NANOS = 10_000_000L;

    /** The groups, in the order reports list them. */
    static final List<String> GROUPS = List.of("carriers", "event loops", "journal writer", "journal marker",
            "GC", "JIT", "other");

    /**
     * User and system CPU time, and the time the threads were runnable but waited for a CPU (0
     * where the kernel keeps no {@code schedstat}), in nanoseconds.
     */
    public record Use(long userNanos, long systemNanos, long waitNanos) {
        public long totalNanos() {
            return userNanos + systemNanos;
        }

        Use plus(Use o) {
            return new Use(userNanos + o.userNanos, systemNanos + o.systemNanos, waitNanos + o.waitNanos);
        }

        Use minus(Use o) {
            return new Use(userNanos - o.userNanos, systemNanos - o.systemNanos, waitNanos - o.waitNanos);
        }
    }

    /** One thread's name and CPU time at a reading. */
    record ThreadUse(String name, Use use) {}

    /**
     * One reading: the process's CPU time (-1 when unreadable) and each thread's, by thread id.
     */
    record Reading(long totalNanos, Map<Long, ThreadUse> threads) {

        /**
         * The CPU time by group between {@code earlier} and this reading, in {@link #GROUPS}
         * order, without the groups that used none.
         */
        Map<String, Use> groupsSince(Reading earlier) {
            Map<String, Use> sums = new HashMap<>();
            for (Map.Entry<Long, ThreadUse> e : threads.entrySet()) {
                ThreadUse now = e.getValue();
                ThreadUse then = earlier.threads().get(e.getKey());
                Use used = then == null || !then.name().equals(now.name()) ? now.use() : now.use().minus(then.use());
                sums.merge(group(now.name()), used, Use::plus);
            }
            Map<String, Use> out = new LinkedHashMap<>();
            for (String g : GROUPS) {
                Use u = sums.get(g);
                if (u != null && u.totalNanos() > 0) {
                    out.put(g, u);
                }
            }
            return out;
        }
    }

    private final Path proc;

    /** The target with process id {@code pid}. */
    TargetCpu(long pid) {
        this(Path.of("/proc", Long.toString(pid)));
    }

    /** The target whose {@code /proc} directory is {@code proc}. */
    TargetCpu(Path proc) {
        this.proc = proc;
    }

    /** Reads the process's and its threads' CPU time now; a thread that ends meanwhile is left out. */
    Reading read() {
        long total;
        try {
            total = use(Files.readString(proc.resolve("stat"))).totalNanos();
        } catch (IOException | IllegalArgumentException e) {
            total = -1;
        }
        Map<Long, ThreadUse> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path t : tasks) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    Use cpu = use(stat);
                    threads.put(Long.parseLong(t.getFileName().toString()),
                            new ThreadUse(name(stat), new Use(cpu.userNanos(), cpu.systemNanos(), waitOf(t))));
                } catch (NoSuchFileException ended) {
                    // the thread ended after the directory was listed
                } catch (IOException | IllegalArgumentException e) {
                    // an unreadable thread is left out; the process's total still counts it
                }
            }
        } catch (IOException e) {
            // no thread list (not Linux, or the process ended): the total alone
        }
        return new Reading(total, threads);
    }

    /**
     * The run-queue wait of a thread: the second field of its {@code schedstat} ({@code run_ns
     * wait_ns timeslices}), 0 when the kernel keeps none.
     */
    private static long waitOf(Path task) throws IOException {
        try {
            return waitNanos(Files.readString(task.resolve("schedstat")));
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** The run-queue wait of a {@code schedstat} line. */
    static long waitNanos(String schedstat) {
        String[] f = schedstat.trim().split(" ");
        if (f.length < 3) {
            throw new IllegalArgumentException("not a /proc schedstat line: " + schedstat);
        }
        return Long.parseLong(f[1]);
    }

    /** The group of a thread, by the name the kernel keeps for it. */
    static String group(String name) {
        if (name.startsWith("ForkJoinPool-")) {
            return "carriers";
        }
        if (name.startsWith("diameter-io")) {
            return "event loops";
        }
        return switch (name) {
            case "journal-writer" -> "journal writer";
            case "journal-mark" -> "journal marker";
            default -> name.startsWith("GC Thread") || name.startsWith("G1 ") ? "GC"
                    : name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre") ? "JIT" : "other";
        };
    }

    /** The name field of a {@code stat} line: between the first '(' and the last ')'. */
    static String name(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc stat line: " + stat);
        }
        return stat.substring(open + 1, close);
    }

    /** The user (field 14) and system (field 15) time of a {@code stat} line. */
    static Use use(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 > stat.length()) {
            throw new IllegalArgumentException("not a /proc stat line: " + stat);
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        if (f.length < 13) {
            throw new IllegalArgumentException("a /proc stat line with " + f.length + " fields after the name: " + stat);
        }
        return new Use(Long.parseLong(f[11]) * TICK_NANOS, Long.parseLong(f[12]) * TICK_NANOS, 0);
    }
}
