package org.arbiter.core.qos;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Renders an {@link Explanation} as text tables or JSON. Pure. */
final class ExplanationFormat {

    private static final String NONE = "-";

    private ExplanationFormat() {}

    static String text(Explanation e) {
        StringBuilder out = new StringBuilder();
        out.append("UE:     the ").append(e.ueRole()).append('\n');
        if (e.offerSource() != null) {
            out.append("offer:  ").append(e.offerSource()).append('\n');
        }
        if (e.answerSource() != null) {
            out.append("answer: ").append(e.answerSource()).append('\n');
        }
        out.append("cap:    ").append(e.cap() == Negotiation.Cap.TO_OFFER
                ? "the answer is capped to the offer" : "the answer is authorized as it is").append("\n\n");
        List<String[]> summary = new ArrayList<>();
        summary.add(new String[] {"FLOW", "MEDIA", "UL", "DL", "CLASS", "TREATMENT", "MODIFIED BY THE ANSWER"});
        for (Explanation.Flow f : e.flows()) {
            FlowRequirement r = f.analysis().requirement();
            summary.add(new String[] {r.key().toString(), lower(r.mediaType()), rate(r.uplink().bandwidthBps()),
                    rate(r.downlink().bandwidthBps()), f.treatment().sessionClass(), brief(f.treatment().trafficClass()),
                    modifications(r.modifications())});
        }
        table(out, summary, "");
        for (Explanation.Flow f : e.flows()) {
            out.append('\n');
            flow(out, f);
        }
        if (e.counterOffer() != null) {
            out.append("\ncounter-offer (what could be granted):\n");
            for (String line : e.counterOffer().print().split("\r\n")) {
                out.append("  ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static void flow(StringBuilder out, Explanation.Flow f) {
        FlowAnalysis a = f.analysis();
        FlowRequirement r = a.requirement();
        out.append("flow ").append(r.key()).append("  ").append(lower(r.mediaType())).append('\n');
        List<String[]> head = new ArrayList<>();
        if (a.offeredMedia() != null) {
            head.add(new String[] {"offer", "m=" + a.offeredMedia()});
        }
        if (a.answeredMedia() != null) {
            head.add(new String[] {"answer", "m=" + a.answeredMedia()});
        }
        head.add(new String[] {"codec", or(a.codec())});
        head.add(new String[] {"UE", or(r.ueAddress()) + "   peer " + or(r.peerAddress())});
        table(out, head, "  ");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "OFFERED", "ANSWERED", "AUTHORIZED", "SOURCE"});
        for (Direction d : Direction.values()) {
            rows.add(new String[] {d.label() + " bandwidth", rate(a.offered(d)), rate(a.answered(d)),
                    rate(r.in(d).bandwidthBps()), a.basis(d)});
        }
        QosRequirement o = a.offered(Direction.DOWNLINK);
        QosRequirement n = a.answered(Direction.DOWNLINK);
        QosRequirement z = r.downlink();
        rows.add(new String[] {"latency", ms(o == null ? null : o.maxLatencyMs()), ms(n == null ? null : n.maxLatencyMs()),
                ms(z.maxLatencyMs()), ""});
        rows.add(new String[] {"jitter", ms(o == null ? null : o.maxJitterMs()), ms(n == null ? null : n.maxJitterMs()),
                ms(z.maxJitterMs()), ""});
        rows.add(new String[] {"loss", pct(o == null ? null : o.maxLossPercent()),
                pct(n == null ? null : n.maxLossPercent()), pct(z.maxLossPercent()), ""});
        rows.add(new String[] {"class", or(o == null ? null : o.sessionClass()), or(n == null ? null : n.sessionClass()),
                or(z.sessionClass()), ""});
        rows.add(new String[] {"security", sec(o == null ? null : o.security()), sec(n == null ? null : n.security()),
                sec(z.security()), ""});
        table(out, rows, "  ");
        List<String[]> tail = new ArrayList<>();
        tail.add(new String[] {"modified", modifications(r.modifications())});
        tail.add(new String[] {"treatment", f.treatment().sessionClass() + ": " + f.treatment().trafficClass()
                + "  [" + f.treatment().basis() + "]"});
        if (a.gameFormat() != null) {
            tail.add(new String[] {"game format", a.gameFormat()});
        }
        a.preconditions().forEach(p -> tail.add(new String[] {"precondition", p}));
        a.notes().forEach(p -> tail.add(new String[] {"note", p}));
        table(out, tail, "  ");
    }

    /** Width of the label column of the per-flow tables, so that they line up. */
    private static final int LABEL = 12;

    private static void table(StringBuilder out, List<String[]> rows, String indent) {
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        width[0] = indent.isEmpty() ? 0 : LABEL;
        for (String[] row : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < cols; c++) {
                line.append(row[c]);
                if (c < cols - 1) {
                    line.append(" ".repeat(width[c] - row[c].length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String brief(TrafficClass t) {
        return t.phb() + "/" + t.dscp() + (t.qci() == null ? "" : " QCI " + t.qci());
    }

    private static String modifications(Set<Modification> mods) {
        if (mods.isEmpty()) {
            return "same";
        }
        return mods.stream().sorted().map(m -> m.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(", "));
    }

    private static String lower(Enum<?> e) {
        return e == null ? NONE : e.name().toLowerCase(Locale.ROOT);
    }

    private static String or(String s) {
        return s == null ? NONE : s;
    }

    private static String rate(QosRequirement r) {
        return r == null ? NONE : rate(r.bandwidthBps());
    }

    /** A bit rate with the largest unit that keeps it readable: 0, 800 bit/s, 64 kbit/s, 1.5 Mbit/s. */
    static String rate(long bps) {
        if (bps == 0) {
            return "0";
        }
        if (bps < 1000) {
            return bps + " bit/s";
        }
        if (bps < 1_000_000) {
            return decimal(BigDecimal.valueOf(bps, 3)) + " kbit/s";
        }
        return decimal(BigDecimal.valueOf(bps, 6)) + " Mbit/s";
    }

    private static String ms(Integer v) {
        return v == null ? NONE : v + " ms";
    }

    private static String pct(Double v) {
        return v == null ? NONE : decimal(BigDecimal.valueOf(v)) + " %";
    }

    private static String sec(Security s) {
        return s == null ? NONE : s.token();
    }

    private static String decimal(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    static String json(Explanation e) {
        Json j = new Json();
        j.open('{');
        j.field("ue").string(e.ueRole());
        j.field("offer").string(e.offerSource());
        j.field("answer").string(e.answerSource());
        j.field("cap").string(e.cap().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        j.field("flows").open('[');
        for (Explanation.Flow f : e.flows()) {
            FlowAnalysis a = f.analysis();
            FlowRequirement r = a.requirement();
            j.element().open('{');
            j.field("flow").string(r.key().toString());
            j.field("mediaComponent").number(r.key().mediaComponent());
            j.field("flowNumber").number(r.key().flow());
            j.field("mediaType").string(r.mediaType() == null ? null : lower(r.mediaType()));
            j.field("offerMedia").string(a.offeredMedia());
            j.field("answerMedia").string(a.answeredMedia());
            j.field("codec").string(a.codec());
            j.field("ueAddress").string(r.ueAddress());
            j.field("peerAddress").string(r.peerAddress());
            for (Direction d : Direction.values()) {
                j.field(d == Direction.UPLINK ? "uplink" : "downlink").open('{');
                j.field("offered");
                requirement(j, a.offered(d));
                j.field("answered");
                requirement(j, a.answered(d));
                j.field("authorized");
                requirement(j, r.in(d));
                j.field("basis").string(a.basis(d));
                j.close('}');
            }
            j.field("modifications").open('[');
            r.modifications().stream().sorted().forEach(m -> j.element().string(m.name()));
            j.close(']');
            TreatmentTable.Match t = f.treatment();
            j.field("treatment").open('{');
            j.field("class").string(t.sessionClass());
            j.field("phb").string(t.trafficClass().phb());
            j.field("dscp").number(t.trafficClass().dscp());
            j.field("qci").number(t.trafficClass().qci());
            j.field("priority").number(t.trafficClass().priority());
            j.field("basis").string(t.basis());
            j.close('}');
            j.field("gameFormat").string(a.gameFormat());
            j.field("preconditions").open('[');
            a.preconditions().forEach(p -> j.element().string(p));
            j.close(']');
            j.field("notes").open('[');
            a.notes().forEach(p -> j.element().string(p));
            j.close(']');
            j.close('}');
        }
        j.close(']');
        j.field("counterOffer").string(e.counterOffer() == null ? null : e.counterOffer().print());
        j.close('}');
        return j.toString() + "\n";
    }

    private static void requirement(Json j, QosRequirement r) {
        if (r == null) {
            j.nullValue();
            return;
        }
        j.open('{');
        j.field("bandwidthBps").number(r.bandwidthBps());
        j.field("class").string(r.sessionClass());
        j.field("latencyMs").number(r.maxLatencyMs());
        j.field("jitterMs").number(r.maxJitterMs());
        j.field("lossPercent").decimal(r.maxLossPercent());
        j.field("security").string(r.security() == null ? null : r.security().token());
        j.close('}');
    }

    /** A minimal JSON writer, two-space indented. */
    private static final class Json {
        private final StringBuilder sb = new StringBuilder();
        private int depth;
        private boolean first = true;

        Json open(char c) {
            sb.append(c);
            depth++;
            first = true;
            return this;
        }

        Json close(char c) {
            depth--;
            if (!first) {
                newline();
            }
            sb.append(c);
            first = false;
            return this;
        }

        Json field(String name) {
            element();
            quote(name);
            sb.append(": ");
            return this;
        }

        Json element() {
            if (!first) {
                sb.append(',');
            }
            newline();
            first = false;
            return this;
        }

        private void newline() {
            sb.append('\n').append("  ".repeat(depth));
        }

        void string(String s) {
            if (s == null) {
                nullValue();
            } else {
                quote(s);
            }
        }

        void number(Number n) {
            if (n == null) {
                nullValue();
            } else {
                sb.append(n);
            }
        }

        void decimal(Double d) {
            if (d == null) {
                nullValue();
            } else {
                sb.append(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
            }
        }

        void nullValue() {
            sb.append("null");
        }

        private void quote(String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
