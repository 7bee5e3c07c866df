package org.arbiter.bench.rx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples ({@code jdk.ExecutionSample}) of a JFR recording: the methods with the
 * most samples on top of the stack (self), the methods present in the most stacks (total), and
 * the project's own methods ({@code org.arbiter}) by total, which is where a fix would go; then
 * where threads waited (file force and write, monitor enter and wait, park) by the nearest frame
 * of the project or, failing that, of the library that waited, with the total time waited.
 *
 * <pre>java -cp benchmarks/target/classes org.arbiter.bench.rx.JfrHotspots target.jfr [top] [skip-seconds]</pre>
 * {@code skip-seconds} leaves out the start of the recording (start-up, warm-up).
 */
public final class JfrHotspots {

    private JfrHotspots() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrHotspots <recording.jfr> [top] [skip-seconds]");
            System.exit(2);
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        long skip = args.length > 2 ? Long.parseLong(args[2]) : 0;
        List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
        java.time.Instant first = events.stream().map(RecordedEvent::getStartTime).min(java.util.Comparator.naturalOrder())
                .orElse(java.time.Instant.EPOCH);
        java.time.Instant from = first.plusSeconds(skip);
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, long[]> waits = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : events) {
            if (e.getStartTime().isBefore(from)) {
                continue;
            }
            String type = e.getEventType().getName();
            if (WAITS.contains(type)) {
                String where = e.getStackTrace() == null ? "?" : nearest(e.getStackTrace().getFrames());
                long[] w = waits.computeIfAbsent(type.substring(4) + " at " + where, k -> new long[2]);
                w[0]++;
                w[1] += e.getDuration().toNanos();
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.getFirst()), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    total.merge(n, 1, Integer::sum);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d execution samples in %s%n", samples, args[0]);
        print("self (top of stack)", self, samples, top, false);
        print("total (in the stack)", total, samples, top, false);
        print("org.arbiter methods, total", total, samples, top, true);
        System.out.println("-- waits (events over the recording's thresholds): count, total seconds, where");
        waits.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(top)
                .forEach(e -> System.out.printf(Locale.ROOT, "%8d %9.2f s  %s%n", e.getValue()[0], e.getValue()[1] / 1e9, e.getKey()));
    }

    private static final Set<String> WAITS = Set.of("jdk.FileForce", "jdk.FileWrite", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait",
            "jdk.ThreadPark", "jdk.SocketRead");

    /** The first frame of the project, else the first outside the JDK, else the top frame. */
    private static String nearest(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            if (f.getMethod().getType().getName().startsWith("org.arbiter")) {
                return name(f);
            }
        }
        for (RecordedFrame f : frames) {
            String t = f.getMethod().getType().getName();
            if (!t.startsWith("java.") && !t.startsWith("jdk.") && !t.startsWith("sun.")) {
                return name(f);
            }
        }
        return frames.isEmpty() ? "?" : name(frames.getFirst());
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top, boolean ours) {
        System.out.println("-- " + title);
        counts.entrySet().stream()
                .filter(e -> !ours || e.getKey().startsWith("org.arbiter"))
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> System.out.printf(Locale.ROOT, "%6.2f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
