package org.arbiter.bench.rx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the whole machine's CPUs spent a phase's window, from the first line of Linux's
 * {@code /proc/stat}: busy (every process, the generator and the target included), waiting for
 * the disk, idle, and stolen, the time the host ran something else while a virtual CPU of this
 * machine had work. On a shared virtual machine the stolen share moves the latency of a phase as
 * much as a change of the code does, so every report says what it was.
 */
public final class MachineCpu {

    /** Where the kernel keeps the counters. */
    private final Path procStat;

    public MachineCpu() {
        this(Path.of("/proc/stat"));
    }

    MachineCpu(Path procStat) {
        this.procStat = procStat;
    }

    /**
     * The machine's counters in clock ticks, summed over its CPUs: {@code cpu user nice system idle
     * iowait irq softirq steal ...}.
     */
    record Ticks(long user, long nice, long system, long idle, long iowait, long irq, long softirq, long steal) {

        long all() {
            return user + nice + system + idle + iowait + irq + softirq + steal;
        }

        long busy() {
            return user + nice + system + irq + softirq;
        }
    }

    /**
     * The shares of the machine's CPU time in a window, each between 0 and 1; they add up to 1.
     *
     * @param busy running something: user, system and interrupt time of every process
     * @param iowait idle with a disk request outstanding
     * @param idle idle with nothing outstanding
     * @param steal stolen by the host from a virtual CPU that had work
     */
    public record Share(double busy, double iowait, double idle, double steal) {}

    /** The counters now, or null where the file cannot be read or is not Linux's. */
    Ticks read() {
        try {
            return ticks(Files.readString(procStat));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The counters of the first line of a {@code /proc/stat} text. */
    static Ticks ticks(String procStat) {
        int end = procStat.indexOf('\n');
        String[] f = (end < 0 ? procStat : procStat.substring(0, end)).trim().split(" +");
        if (f.length < 9 || !f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + (end < 0 ? procStat : procStat.substring(0, end)));
        }
        return new Ticks(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]));
    }

    /** The shares between two readings, or null when either is unknown or no tick passed. */
    static Share between(Ticks from, Ticks to) {
        if (from == null || to == null || to.all() <= from.all()) {
            return null;
        }
        double all = to.all() - from.all();
        return new Share((to.busy() - from.busy()) / all, (to.iowait() - from.iowait()) / all, (to.idle() - from.idle()) / all,
                (to.steal() - from.steal()) / all);
    }
}
