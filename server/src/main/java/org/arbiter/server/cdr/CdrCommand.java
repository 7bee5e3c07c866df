package org.arbiter.server.cdr;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.ledger.OperatorLedger;
import org.arbiter.server.config.ArbiterConfig;
import org.arbiter.server.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arbiter cdr export}: billing records of a time range, from the ledger, to a file or stdout. */
@Command(name = "cdr", description = "Billing records.", subcommands = CdrCommand.Export.class)
public final class CdrCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Exports the records whose stop time is in [from, to): the final records of sessions that
     * ended then and the interim records written then.
     */
    @Command(name = "export", description = "Export the billing records (final and interim) whose stop time is in "
            + "[--from, --to).")
    static final class Export implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, description = "The configuration file naming the ledger.")
        Path config;

        @Option(names = "--from", required = true, description = "ISO-8601 instant, inclusive (2026-11-01T00:00:00Z).")
        String from;

        @Option(names = "--to", required = true, description = "ISO-8601 instant, exclusive.")
        String to;

        @Option(names = "--format", defaultValue = "csv", description = "csv or jsonl (default ${DEFAULT-VALUE}).")
        String format;

        @Option(names = {"-o", "--out"}, description = "Write to this file instead of standard output.")
        Path out;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        private Instant instant(String name, String v) {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        name + " '" + v + "' is not an ISO-8601 instant such as 2026-11-01T00:00:00Z");
            }
        }

        @Override
        public Integer call() throws Exception {
            Instant f = instant("--from", from);
            Instant t = instant("--to", to);
            CdrFormat fmt;
            try {
                fmt = CdrFormat.of(format);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format: " + e.getMessage());
            }
            ArbiterConfig cfg = ConfigLoader.load(config);
            long n = 0;
            try (OperatorLedger ledger = OperatorLedger.openForReading(cfg.ledger().connection(2), cfg.ledger().journal());
                 Writer w = out == null ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                         : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                if (fmt.header() != null) {
                    w.write(fmt.header() + "\n");
                }
                // page by (stopped-at, record id) so that any number of records streams in bounded memory
                Instant cursorTime = f;
                String cursorId = "";
                while (true) {
                    List<ChargingRecord> page = ledger.chargingRecords(cursorTime, t, 5_001);
                    int written = 0;
                    for (ChargingRecord r : page) {
                        int c = r.stoppedAt().compareTo(cursorTime);
                        if (c < 0 || (c == 0 && r.recordId().compareTo(cursorId) <= 0 && !cursorId.isEmpty())) {
                            continue;
                        }
                        w.write(fmt.line(r) + "\n");
                        cursorTime = r.stoppedAt();
                        cursorId = r.recordId();
                        written++;
                    }
                    n += written;
                    if (page.size() < 5_001 || written == 0) {
                        break;
                    }
                    if (n % 50_000 < written) {
                        spec.commandLine().getErr().println("... " + n + " records");
                    }
                }
                w.flush();
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println(n + " billing record(s) exported" + (out == null ? "" : " to " + out));
            return 0;
        }
    }
}
