package org.arbiter.server.qos;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.arbiter.core.qos.MediaDefaults;
import org.arbiter.core.qos.Negotiation;
import org.arbiter.core.qos.QosExplainer;
import org.arbiter.core.qos.TreatmentTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arbiter qos}: the QoS that SDP asks for. {@code arbiter qos explain} reads an offer and an
 * answer (SDP files or Codec-Data values as Kamailio sends them) and prints every flow's
 * requirement, what the answer modified and the treatment. The logic and the formatting live in
 * core ({@link QosExplainer}); this class only reads the files and prints.
 */
@Command(name = "qos", mixinStandardHelpOptions = true,
        description = "QoS requirements from SDP offer/answer (docs/sdp-qos.md).",
        subcommands = QosCommand.Explain.class)
public class QosCommand implements Runnable {

    @Spec
    CommandSpec spec;

    public QosCommand() {
        // instantiated by picocli
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Exit code for input that cannot be explained (picocli uses the same for usage errors). */
    static final int BAD_INPUT = 2;

    /** The largest input file read; SDP and Codec-Data are a few kilobytes. */
    static final long MAX_FILE_BYTES = 1 << 20;

    /** {@code arbiter qos explain}. */
    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = {
                "Print the per-flow QoS requirements of an SDP offer and answer: what each side asked for, what the "
                    + "answer modified, what is authorized and the treatment (DSCP, QCI).",
                "Give --offer FILE [--answer FILE] for SDP (whole descriptions or m-line fragments), or "
                    + "--codec-data FILE once or twice for raw Codec-Data values as Kamailio's ims_qos sends them "
                    + "(the uplink/downlink and offer/answer header lines, the trailing NUL byte)."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:explained", "2:bad usage or bad input (the file and line are printed)"})
    static final class Explain implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--offer", paramLabel = "FILE", description = "The SDP offer.")
        Path offer;

        @Option(names = "--answer", paramLabel = "FILE", description = "The SDP answer.")
        Path answer;

        @Option(names = "--codec-data", paramLabel = "FILE",
                description = "A Codec-Data value as Kamailio sends it; give it twice for the offer and the answer.")
        List<Path> codecData = new ArrayList<>();

        @Option(names = "--json", description = "Print JSON instead of tables.")
        boolean json;

        @Option(names = "--ue", paramLabel = "offerer|answerer", defaultValue = "offerer",
                description = "Which side the UE is, for SDP without Codec-Data header (default: ${DEFAULT-VALUE}).")
        String ue;

        @Option(names = "--cap-to-offer",
                description = "Never authorize more than the offer asked for (the policy option Negotiation.Cap.TO_OFFER).")
        boolean capToOffer;

        @Option(names = "--grant", paramLabel = "COMPONENT=UL[/DL]",
                description = "What could be granted to a media component, in kbit/s (e.g. 2=1000/800); prints the "
                        + "counter-offer SDP. Components not named keep what was authorized.")
        List<String> grants = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String usage = usageProblem();
            if (usage != null) {
                err.println("arbiter qos explain: " + usage);
                return BAD_INPUT;
            }
            QosExplainer.Options options = new QosExplainer.Options(
                    ue.equals("answerer") ? QosExplainer.UeRole.ANSWERER : QosExplainer.UeRole.OFFERER,
                    capToOffer ? Negotiation.Cap.TO_OFFER : Negotiation.Cap.NONE,
                    MediaDefaults.builtIn(), TreatmentTable.builtIn(), grants);
            QosExplainer.Result result;
            try {
                if (codecData.isEmpty()) {
                    result = QosExplainer.fromSdp(read(offer), answer == null ? null : read(answer), options);
                } else {
                    List<QosExplainer.Source> values = new ArrayList<>();
                    for (Path p : codecData) {
                        values.add(read(p));
                    }
                    result = QosExplainer.fromCodecData(values, options);
                }
            } catch (Unreadable e) {
                err.println(e.getMessage());
                return BAD_INPUT;
            }
            if (!result.ok()) {
                err.println(result.problem());
                return BAD_INPUT;
            }
            out.print(json ? result.explanation().toJson() : result.explanation().toText());
            out.flush();
            return 0;
        }

        private String usageProblem() {
            if (!ue.equals("offerer") && !ue.equals("answerer")) {
                return "--ue must be offerer or answerer, not '" + ue + "'";
            }
            if (codecData.isEmpty() && offer == null) {
                return "give --offer FILE [--answer FILE], or --codec-data FILE [--codec-data FILE]";
            }
            if (!codecData.isEmpty() && (offer != null || answer != null)) {
                return "give either --offer/--answer or --codec-data, not both";
            }
            if (codecData.size() > 2) {
                return "give --codec-data at most twice (the offer and the answer), not " + codecData.size() + " times";
            }
            return null;
        }

        /** Reads a file as UTF-8 text; NUL bytes are kept. */
        private static QosExplainer.Source read(Path p) throws Unreadable {
            try {
                long size = Files.size(p);
                if (size > MAX_FILE_BYTES) {
                    throw new Unreadable(p + ": " + size + " bytes is too large for SDP (at most " + MAX_FILE_BYTES + ")");
                }
                return new QosExplainer.Source(p.toString(), new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                throw new Unreadable(p + ": no such file");
            } catch (IOException e) {
                throw new Unreadable(p + ": cannot read: " + e);
            }
        }
    }

    /** A file that cannot be read; the message names it. */
    private static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
