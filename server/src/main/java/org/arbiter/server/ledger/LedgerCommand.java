package org.arbiter.server.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.qos.Direction;
import org.arbiter.ledger.OperatorLedger;
import org.arbiter.ledger.SessionSummary;
import org.arbiter.server.config.ArbiterConfig;
import org.arbiter.server.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code arbiter ledger pools|sessions|session ID}: what is reserved where, read from the
 * configured ledger database (also while the server runs), as tables or {@code --json}.
 */
@Command(name = "ledger", description = "Inspect the reservation ledger.",
        subcommands = {LedgerCommand.Pools.class, LedgerCommand.Sessions.class, LedgerCommand.Session.class})
public final class LedgerCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every subcommand shares. */
    static final class Common {
        @Option(names = {"-c", "--config"}, required = true, description = "The configuration file naming the ledger.")
        Path config;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        OperatorLedger open() {
            ArbiterConfig cfg = ConfigLoader.load(config);
            return OperatorLedger.openForReading(cfg.ledger().connection(2), cfg.ledger().journal());
        }
    }

    static final ObjectMapper JSON = LedgerJson.mapper().enable(SerializationFeature.INDENT_OUTPUT);

    static String bps(long v) {
        if (v >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1f Mbit/s", v / 1e6);
        }
        return String.format(Locale.ROOT, "%d kbit/s", v / 1000);
    }

    /** The pool tree with capacity, use and headroom. */
    @Command(name = "pools", description = "Pools with capacity, use and headroom per direction, as a tree.")
    static final class Pools implements Callable<Integer> {
        @Mixin
        Common common;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (OperatorLedger ledger = common.open()) {
                List<PoolUsage> pools = ledger.pools();
                if (common.json) {
                    out.println(JSON.writeValueAsString(pools));
                    return 0;
                }
                Map<String, List<PoolUsage>> children = new HashMap<>();
                List<PoolUsage> roots = new ArrayList<>();
                for (PoolUsage p : pools) {
                    if (p.pool().parent() == null) {
                        roots.add(p);
                    } else {
                        children.computeIfAbsent(p.pool().parent(), k -> new ArrayList<>()).add(p);
                    }
                }
                out.printf("%-30s %-10s %-34s %-34s%n", "POOL", "DEVICE", "UPLINK used / admissible (util)", "DOWNLINK used / admissible (util)");
                for (PoolUsage r : roots) {
                    print(out, r, children, 0);
                }
                return 0;
            }
        }

        private static void print(PrintWriter out, PoolUsage p, Map<String, List<PoolUsage>> children, int depth) {
            out.printf("%-30s %-10s %-34s %-34s%n", "  ".repeat(depth) + p.pool().id(),
                    p.pool().deviceId() == null ? "-" : p.pool().deviceId(),
                    cell(p.usedUplinkBps(), p.pool().admissible(Direction.UPLINK)),
                    cell(p.usedDownlinkBps(), p.pool().admissible(Direction.DOWNLINK)));
            for (PoolUsage c : children.getOrDefault(p.pool().id(), List.of())) {
                print(out, c, children, depth + 1);
            }
        }

        private static String cell(long used, long admissible) {
            double u = admissible <= 0 ? 0 : 100.0 * used / admissible;
            return bps(used) + " / " + bps(admissible) + String.format(Locale.ROOT, " (%.0f%%)", u);
        }
    }

    /** Recent sessions. */
    @Command(name = "sessions", description = "Sessions, newest first.")
    static final class Sessions implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--subscriber", description = "Only this subscriber (Subscription-Id data).")
        String subscriber;

        @Option(names = "--origin-host", description = "Only sessions of this AF.")
        String originHost;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (limit < 1 || limit > 100_000) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be in [1, 100000], was " + limit);
            }
            PrintWriter out = spec.commandLine().getOut();
            try (OperatorLedger ledger = common.open()) {
                List<SessionSummary> list = ledger.sessions(subscriber, originHost, limit);
                if (common.json) {
                    out.println(JSON.writeValueAsString(list));
                    return 0;
                }
                out.printf("%-40s %-28s %-22s %-8s %-24s%n", "SESSION", "SUBSCRIBER", "CREATED", "STATE", "RULE");
                for (SessionSummary s : list) {
                    String state = s.endedAt() != null ? "ended" : s.committedAt() != null ? "active" : "reserved";
                    out.printf("%-40s %-28s %-22s %-8s %-24s%n", s.sessionId(), s.subscriber(),
                            s.createdAt().toString().substring(0, Math.min(19, s.createdAt().toString().length())), state,
                            s.ruleId() + (s.modified() ? " (modified)" : ""));
                }
                out.println(list.size() + " session(s)");
                return 0;
            }
        }
    }

    /** One session with its holds and decisions. */
    @Command(name = "session", description = "One session: its holds and the decisions that made them.")
    static final class Session implements Callable<Integer> {
        @Mixin
        Common common;

        @Parameters(index = "0", paramLabel = "SESSION-ID", description = "The Diameter Session-Id.")
        String sessionId;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (OperatorLedger ledger = common.open()) {
                var view = ledger.session(sessionId);
                if (view.isEmpty()) {
                    spec.commandLine().getErr().println("arbiter: no session '" + sessionId + "' in the ledger");
                    return 1;
                }
                SessionView v = view.get();
                var decisions = ledger.decisions(sessionId);
                if (common.json) {
                    out.println(JSON.writeValueAsString(Map.of("session", v, "decisions", decisions)));
                    return 0;
                }
                out.println("session    " + v.sessionId());
                out.println("subscriber " + v.subscriber() + "   AF " + v.originHost() + "   created " + v.createdAt());
                out.println("policy     " + v.policyVersion() + " rule " + v.ruleId());
                out.printf("%-6s %-4s %-16s %-20s %-10s %-14s %-10s %s%n", "FLOW", "DIR", "PARTY", "POOL", "DEVICE", "BANDWIDTH", "STATE", "EXPIRES");
                for (Hold h : v.holds()) {
                    out.printf("%-6s %-4s %-16s %-20s %-10s %-14s %-10s %s%n", h.flow(), h.direction().label(), h.partyAddress(),
                            h.poolId(), h.deviceId() == null ? "-" : h.deviceId(), bps(h.bandwidthBps()), h.state(), h.expiresAt());
                }
                out.println("decisions:");
                decisions.forEach(d -> out.println("  " + d));
                return 0;
            }
        }
    }
}
