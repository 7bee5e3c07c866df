package org.arbiter.core.qos;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.sdp.CodecDataLabel;
import org.arbiter.core.sdp.MediaDescription;
import org.arbiter.core.sdp.SdpParser;
import org.arbiter.core.sdp.SessionDescription;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.RxRequest;

/**
 * The logic of {@code arbiter qos explain}: reads an offer and an answer (SDP files, or Codec-Data
 * values as Kamailio sends them), runs them through the same {@link RequirementExtractor} the
 * engine uses, classifies every flow with a {@link TreatmentTable}, and, when grants are given,
 * writes the counter-offer with {@link Negotiation#counterOffer(SessionDescription, List,
 * CodecDataLabel.Link)}.
 *
 * <p>Pure: the caller reads the files. Every fault in the input comes back as a {@link Problem}
 * naming the source and the line; nothing throws for bad input. Thread-safe.
 */
public final class QosExplainer {

    private QosExplainer() {}

    /**
     * An input: the name to report it by (a file name) and its text.
     *
     * @param name the name, for messages
     * @param text the content, Codec-Data NUL byte included
     */
    public record Source(String name, String text) {
        public Source {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
        }
    }

    /** Which side of the exchange the UE is, for SDP without a Codec-Data header. */
    public enum UeRole {
        /** The UE sent the offer (Kamailio's {@code orig}). */
        OFFERER,
        /** The UE sent the answer (Kamailio's {@code term}). */
        ANSWERER
    }

    /**
     * How to explain.
     *
     * @param ue the UE's side when the inputs carry no Codec-Data header
     * @param cap the offer cap
     * @param defaults the bandwidth defaults
     * @param treatments the treatment table
     * @param grants what could be granted, as {@code COMPONENT=UL_KBPS[/DL_KBPS]} (kbit/s); the
     *     explanation then holds the counter-offer, in which the components not named keep what was
     *     authorized
     */
    public record Options(UeRole ue, Negotiation.Cap cap, MediaDefaults defaults, TreatmentTable treatments,
                          List<String> grants) {
        public Options {
            Objects.requireNonNull(ue, "ue");
            Objects.requireNonNull(cap, "cap");
            Objects.requireNonNull(defaults, "defaults");
            Objects.requireNonNull(treatments, "treatments");
            grants = List.copyOf(grants);
        }

        /** The UE offers, no cap, built-in defaults and table, no grants. */
        public static Options standard() {
            return new Options(UeRole.OFFERER, Negotiation.Cap.NONE, MediaDefaults.builtIn(), TreatmentTable.builtIn(),
                    List.of());
        }
    }

    /**
     * A fault in the input.
     *
     * @param source the source name ({@code --grant} for a grant)
     * @param line the 1-based line, or 0 when the fault is not on one line
     * @param reason what is wrong and what is allowed
     */
    public record Problem(String source, int line, String reason) {
        /** {@code offer.sdp:4: reason} or {@code offer.sdp: reason}. */
        @Override
        public String toString() {
            return source + (line > 0 ? ":" + line : "") + ": " + reason;
        }
    }

    /**
     * The outcome: an explanation or the first problem found.
     *
     * @param explanation the explanation, {@code null} on a problem
     * @param problem the problem, or {@code null}
     */
    public record Result(Explanation explanation, Problem problem) {
        public boolean ok() {
            return problem == null;
        }

        static Result of(Problem p) {
            return new Result(null, p);
        }
    }

    /** A parsed input. */
    private record Input(Source source, SdpParser.Result parsed, CodecDataLabel label) {
        SessionDescription sdp() {
            return parsed.description();
        }
    }

    /**
     * Explains an offer and an optional answer given as SDP: whole descriptions or media-level
     * fragments, with or without a Codec-Data header. The answer must have one m-line per m-line of
     * the offer, of the same media (RFC 3264 §6); m-line {@code n} is Media-Component-Number {@code n}.
     */
    public static Result fromSdp(Source offer, Source answer, Options options) {
        SdpParser.Result po = SdpParser.parse(offer.text());
        if (!po.ok()) {
            return Result.of(new Problem(offer.name(), po.error().line(), po.error().reason()));
        }
        if (po.label() != null && po.label().role() == CodecDataLabel.Role.ANSWER) {
            return Result.of(new Problem(offer.name(), 2, "labelled answer, but given as the offer"));
        }
        if (po.description().media().isEmpty()) {
            return Result.of(new Problem(offer.name(), 0, "no m= line: there is no media to explain"));
        }
        CodecDataLabel.Link offerLink = po.label() != null ? po.label().link()
                : options.ue() == UeRole.OFFERER ? CodecDataLabel.Link.UPLINK : CodecDataLabel.Link.DOWNLINK;
        Input in = new Input(offer, po, new CodecDataLabel(offerLink, CodecDataLabel.Role.OFFER));
        Input an = null;
        if (answer != null) {
            SdpParser.Result pa = SdpParser.parse(answer.text());
            if (!pa.ok()) {
                return Result.of(new Problem(answer.name(), pa.error().line(), pa.error().reason()));
            }
            if (pa.label() != null && pa.label().role() == CodecDataLabel.Role.OFFER) {
                return Result.of(new Problem(answer.name(), 2, "labelled offer, but given as the answer"));
            }
            if (pa.label() != null && pa.label().link() == offerLink) {
                return Result.of(new Problem(answer.name(), 1, "labelled " + token(offerLink) + " like the offer; "
                        + "one of them is the UE's (uplink), the other the peer's (downlink)"));
            }
            CodecDataLabel.Link answerLink = offerLink == CodecDataLabel.Link.UPLINK
                    ? CodecDataLabel.Link.DOWNLINK : CodecDataLabel.Link.UPLINK;
            an = new Input(answer, pa, new CodecDataLabel(answerLink, CodecDataLabel.Role.ANSWER));
            Problem p = pairing(in, an);
            if (p != null) {
                return Result.of(p);
            }
        }
        List<MediaComponent> components = new ArrayList<>();
        List<MediaDescription> media = in.sdp().media();
        for (int i = 0; i < media.size(); i++) {
            List<String> codecData = new ArrayList<>();
            codecData.add(in.sdp().printCodecData(in.label()));
            if (an != null) {
                codecData.add(an.sdp().printCodecData(an.label()));
            }
            components.add(new MediaComponent(i + 1, MediaType.fromSdpToken(media.get(i).media()), List.of(),
                    -1, -1, -1, -1, null, codecData));
        }
        return explain(in, an, components, options);
    }

    /**
     * Explains Codec-Data values as Kamailio sends them: one or two values (offer and answer), each
     * with its header, one m-line each, in the order given.
     */
    public static Result fromCodecData(List<Source> values, Options options) {
        if (values.isEmpty() || values.size() > 2) {
            return Result.of(new Problem("--codec-data", 0, "give one or two Codec-Data values (the offer and the "
                    + "answer), not " + values.size()));
        }
        Input offer = null;
        Input answer = null;
        for (Source s : values) {
            SdpParser.Result r = SdpParser.parse(s.text());
            if (!r.ok()) {
                return Result.of(new Problem(s.name(), r.error().line(), r.error().reason()));
            }
            if (r.label() == null) {
                return Result.of(new Problem(s.name(), 1, "a Codec-Data value starts with the lines uplink|downlink "
                        + "and offer|answer|description (TS 29.214 §5.3.7)"));
            }
            if (r.description().media().size() > 1) {
                return Result.of(new Problem(s.name(), r.mediaLines().get(1), "a Codec-Data value holds one m-line; "
                        + "explain whole descriptions with --offer and --answer"));
            }
            Input in = new Input(s, r, r.label());
            if (r.label().role() == CodecDataLabel.Role.OFFER) {
                if (offer != null) {
                    return Result.of(new Problem(s.name(), 2, "a second Codec-Data labelled offer"));
                }
                offer = in;
            } else {
                if (answer != null) {
                    return Result.of(new Problem(s.name(), 2, "a second Codec-Data labelled answer or description"));
                }
                answer = in;
            }
        }
        if (offer != null && answer != null && offer.label().link() == answer.label().link()) {
            return Result.of(new Problem(answer.source().name(), 1, "labelled " + token(answer.label().link())
                    + " like the offer; one of them is the UE's (uplink), the other the peer's (downlink)"));
        }
        if (offer != null && answer != null) {
            Problem p = pairing(offer, answer);
            if (p != null) {
                return Result.of(p);
            }
        }
        Input any = offer != null ? offer : answer;
        if (any.sdp().media().isEmpty() && (answer == null || answer.sdp().media().isEmpty())) {
            return Result.of(new Problem(any.source().name(), 0, "no m= line: there is no media to explain"));
        }
        List<String> codecData = new ArrayList<>();
        if (offer != null) {
            codecData.add(offer.source().text());
        }
        if (answer != null) {
            codecData.add(answer.source().text());
        }
        MediaDescription m = (!any.sdp().media().isEmpty() ? any : answer).sdp().media().getFirst();
        List<MediaComponent> components = List.of(new MediaComponent(1, MediaType.fromSdpToken(m.media()), List.of(),
                -1, -1, -1, -1, null, codecData));
        return explain(offer, answer, components, options);
    }

    private static Problem pairing(Input offer, Input answer) {
        List<MediaDescription> om = offer.sdp().media();
        List<MediaDescription> am = answer.sdp().media();
        if (om.size() != am.size()) {
            int line = am.size() > om.size() ? answer.parsed().mediaLines().get(om.size()) : 0;
            return new Problem(answer.source().name(), line, "the answer has " + am.size() + " m-lines and the offer "
                    + om.size() + "; RFC 3264 §6 wants one answer m-line per offer m-line, in the same order");
        }
        for (int i = 0; i < om.size(); i++) {
            if (!om.get(i).media().equalsIgnoreCase(am.get(i).media())) {
                return new Problem(answer.source().name(), answer.parsed().mediaLines().get(i), "m-line " + (i + 1)
                        + " is " + am.get(i).media() + " in the answer but " + om.get(i).media()
                        + " in the offer (RFC 3264 §6)");
            }
        }
        return null;
    }

    private static Result explain(Input offer, Input answer, List<MediaComponent> components, Options options) {
        RxRequest request = new RxRequest("qos-explain", "arbiter", null, List.of(), null, components, Set.of(),
                null, null, null, Instant.EPOCH);
        RequirementExtractor.Analysis analysis = RequirementExtractor.analyze(request, options.defaults(), options.cap());
        Input first = offer != null ? offer : answer;
        if (!analysis.ok()) {
            return Result.of(new Problem(first.source().name(), 0, analysis.error()));
        }
        List<Explanation.Flow> flows = new ArrayList<>();
        for (FlowAnalysis a : analysis.flows()) {
            FlowRequirement r = a.requirement();
            flows.add(new Explanation.Flow(a, options.treatments().classify(r.sessionClass(), r.mediaType())));
        }
        SessionDescription counter = null;
        if (!options.grants().isEmpty()) {
            Input base = answer != null ? answer : offer;
            List<FlowGrant> grants = new ArrayList<>();
            for (String spec : options.grants()) {
                Object g = grant(spec, flows);
                if (g instanceof Problem p) {
                    return Result.of(p);
                }
                grants.add((FlowGrant) g);
            }
            for (Explanation.Flow f : flows) {
                FlowRequirement r = f.analysis().requirement();
                if (grants.stream().noneMatch(g -> g.key().mediaComponent() == r.key().mediaComponent())) {
                    TrafficClass t = f.treatment().trafficClass();
                    grants.add(new FlowGrant(r.key(), f.treatment().sessionClass(), r.uplink().bandwidthBps(),
                            r.downlink().bandwidthBps(), r.downlink().maxLatencyMs(), t.dscp(), t.qci(), t.priority(),
                            false));
                }
            }
            counter = Negotiation.counterOffer(base.sdp(), grants, base.label().link());
        }
        boolean ueOffers = first == offer ? offer.label().fromUe() : !answer.label().fromUe();
        return new Result(new Explanation(ueOffers ? "offerer" : "answerer",
                offer == null ? null : offer.source().name(), answer == null ? null : answer.source().name(),
                options.cap(), flows, counter), null);
    }

    /** A {@link FlowGrant} for {@code COMPONENT=UL_KBPS[/DL_KBPS]}, or a {@link Problem}. */
    private static Object grant(String spec, List<Explanation.Flow> flows) {
        String usage = "expected COMPONENT=UL_KBPS[/DL_KBPS] in kbit/s, e.g. 2=1000/500, found '" + spec + "'";
        int eq = spec.indexOf('=');
        if (eq < 0) {
            return new Problem("--grant", 0, usage);
        }
        long component = number(spec.substring(0, eq).strip());
        String[] rates = spec.substring(eq + 1).split("/", -1);
        long ul = number(rates[0].strip());
        long dl = rates.length == 2 ? number(rates[1].strip()) : ul;
        if (component < 1 || ul < 0 || dl < 0 || rates.length > 2) {
            return new Problem("--grant", 0, usage);
        }
        for (Explanation.Flow f : flows) {
            FlowRequirement r = f.analysis().requirement();
            if (r.key().mediaComponent() == component) {
                TrafficClass t = f.treatment().trafficClass();
                boolean lower = ul * 1000 < r.uplink().bandwidthBps() || dl * 1000 < r.downlink().bandwidthBps();
                return new FlowGrant(r.key(), f.treatment().sessionClass(), ul * 1000, dl * 1000,
                        r.downlink().maxLatencyMs(), t.dscp(), t.qci(), t.priority(), lower);
            }
        }
        return new Problem("--grant", 0, "there is no media component " + component + " (the description has "
                + flows.size() + ")");
    }

    /** A decimal of at most 9 digits, or -1. */
    private static long number(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(s);
    }

    private static String token(CodecDataLabel.Link link) {
        return link.name().toLowerCase(Locale.ROOT);
    }
}
