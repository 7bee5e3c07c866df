package org.arbiter.core.qos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.arbiter.core.sdp.CodecDataLabel;
import org.arbiter.core.sdp.MediaDescription;
import org.arbiter.core.sdp.SdpParser;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.RxRequest;

/**
 * Turns the media components of a request into per-flow, per-direction requirements.
 *
 * <p><b>Sources.</b> Each Codec-Data value (TS 29.214 §5.3.7: the {@code uplink|downlink} and
 * {@code offer|answer|description} header, then the SDP of the m-line, as Kamailio's ims_qos sends
 * it with a trailing NUL) is parsed strictly by {@link SdpParser}. A Codec-Data that holds a whole
 * description with several m-lines contributes the m-line at the position of the
 * Media-Component-Number, with the session-level QoS lines applied. The offer and the answer are
 * negotiated by {@link Negotiation}; the bandwidth precedence (Rx AVPs, then SDP, then
 * {@link MediaDefaults}) is described in {@code docs/sdp-qos.md}.
 *
 * <p><b>Addresses and directions.</b> The UE address is Framed-IP-Address, else the UE end of the
 * Flow-Descriptions ("out" is towards the UE, so its destination; "in" its source), else the
 * {@code c=} of the UE's SDP (the one labelled uplink). A direction carries media only when
 * Flow-Status, the Flow-Descriptions present and the SDP direction attributes all allow it.
 *
 * <p><b>Errors.</b> Pure and thread-safe. Never throws for bad input: malformed Codec-Data
 * (with the component, the Codec-Data index and the line) or Flow-Description gives
 * {@link Extraction#error()}, which the engine answers with 5061 INVALID_SERVICE_INFORMATION.
 */
public final class RequirementExtractor {

    private RequirementExtractor() {}

    /**
     * The result: either the flows or an error.
     *
     * @param flows the requirements, empty on error
     * @param error what is wrong with the request, or {@code null}
     */
    public record Extraction(List<FlowRequirement> flows, String error) {
        public Extraction {
            flows = List.copyOf(flows);
        }

        public boolean ok() {
            return error == null;
        }
    }

    /**
     * The result with the reasoning of every flow.
     *
     * @param flows the analyses, empty on error
     * @param error what is wrong with the request, or {@code null}
     */
    public record Analysis(List<FlowAnalysis> flows, String error) {
        public Analysis {
            flows = List.copyOf(flows);
        }

        public boolean ok() {
            return error == null;
        }

        /** The requirements alone. */
        public Extraction extraction() {
            return new Extraction(flows.stream().map(FlowAnalysis::requirement).toList(), error);
        }

        static Analysis failure(String error) {
            return new Analysis(List.of(), error);
        }
    }

    /** Extracts the requirements with the built-in defaults, authorizing the answer as it is. */
    public static Extraction extract(RxRequest request) {
        return extract(request, MediaDefaults.builtIn(), Negotiation.Cap.NONE);
    }

    /** Extracts the requirements with the policy's defaults and offer cap. */
    public static Extraction extract(RxRequest request, MediaDefaults defaults, Negotiation.Cap cap) {
        // the requirements straight from the analyses, without an Analysis copied into an Extraction
        List<FlowAnalysis> out = new ArrayList<>();
        String error = components(request, defaults, cap, false, out);
        if (error != null) {
            return new Extraction(List.of(), error);
        }
        // an exact array made into the unmodifiable list the record keeps, so that it copies nothing
        FlowRequirement[] flows = new FlowRequirement[out.size()];
        for (int i = 0; i < flows.length; i++) {
            flows[i] = out.get(i).requirement();
        }
        return new Extraction(List.of(flows), null);
    }

    /** Extracts the requirements and the reasoning behind each of them. */
    public static Analysis analyze(RxRequest request, MediaDefaults defaults, Negotiation.Cap cap) {
        return analyze(request, defaults, cap, true);
    }

    /** The analysis; without {@code explain} only the requirements (see {@link FlowNegotiator}). */
    private static Analysis analyze(RxRequest request, MediaDefaults defaults, Negotiation.Cap cap, boolean explain) {
        List<FlowAnalysis> out = new ArrayList<>();
        String error = components(request, defaults, cap, explain, out);
        return error != null ? Analysis.failure(error) : new Analysis(out, null);
    }

    /** Adds the analysis of every flow of every component to {@code out}; the error of the first bad one, or {@code null}. */
    private static String components(RxRequest request, MediaDefaults defaults, Negotiation.Cap cap, boolean explain,
                                     List<FlowAnalysis> out) {
        // the request's lists are unmodifiable lists: indexed, their loops allocate no iterator
        List<MediaComponent> components = request.components();
        for (int c = 0; c < components.size(); c++) {
            MediaComponent mc = components.get(c);
            String err = component(request, mc, defaults, cap, explain, out);
            if (err != null) {
                return "Media-Component-Description " + mc.number() + ": " + err;
            }
        }
        return null;
    }

    private static String component(RxRequest request, MediaComponent mc, MediaDefaults defaults,
                                    Negotiation.Cap cap, boolean explain, List<FlowAnalysis> out) {
        // each side: the label of its Codec-Data (null when there is none) and its m-line (null when none)
        CodecDataLabel offer = null;
        CodecDataLabel answer = null;
        StreamQos offerStream = null;
        StreamQos answerStream = null;
        for (int i = 0; i < mc.codecData().size(); i++) {
            SdpParser.Result r = SdpParser.parse(mc.codecData().get(i));
            if (!r.ok()) {
                return where(i) + ": " + r.error();
            }
            CodecDataLabel label = r.label();
            if (label == null) {
                return where(i) + ": does not start with the header lines uplink|downlink and offer|answer|description"
                        + " (TS 29.214 §5.3.7)";
            }
            List<MediaDescription> media = r.description().media();
            MediaDescription m;
            if (media.isEmpty()) {
                m = null;
            } else if (media.size() == 1) {
                m = media.getFirst();
            } else if (mc.number() >= 1 && mc.number() <= media.size()) {
                m = media.get(mc.number() - 1);
            } else {
                return where(i) + ": holds " + media.size() + " m-lines and none at position " + mc.number();
            }
            StreamQos stream = m == null ? null : StreamQos.of(r.description(), m, label.fromUe(), explain);
            if (label.role() == CodecDataLabel.Role.OFFER) {
                if (offer != null) {
                    return where(i) + ": a second Codec-Data labelled offer";
                }
                offer = label;
                offerStream = stream;
            } else {
                if (answer != null) {
                    return where(i) + ": a second Codec-Data labelled answer or description";
                }
                answer = label;
                answerStream = stream;
            }
        }
        if (offer != null && answer != null && offer.link() == answer.link()) {
            return "the offer and the answer are both labelled " + offer.link().name().toLowerCase(
                    Locale.ROOT) + "; one of them is the UE's (uplink), the other the peer's (downlink)";
        }
        MediaType type = mc.mediaType();
        if (type == null) {
            StreamQos any = answerStream != null ? answerStream : offerStream;
            type = any == null ? MediaType.OTHER : MediaType.fromSdpToken(any.media().media());
        }
        String ueSdp = sdpAddress(offerStream, answerStream, true);
        String peerSdp = sdpAddress(offerStream, answerStream, false);
        List<MediaSubComponent> subs = mc.subComponents().isEmpty()
                ? Collections.singletonList(null) : mc.subComponents();
        for (int s = 0; s < subs.size(); s++) {
            MediaSubComponent sc = subs.get(s);
            FlowStatus fs = sc != null && sc.flowStatus() != null ? sc.flowStatus() : mc.flowStatus();
            Set<Direction> permitted = permitted(fs);
            String ue = request.framedIpAddress();
            String peer = null;
            if (sc != null && !sc.flowDescriptions().isEmpty()) {
                Set<Direction> described = EnumSet.noneOf(Direction.class);
                List<String> descriptions = sc.flowDescriptions();
                for (int f = 0; f < descriptions.size(); f++) {
                    FlowDescription.Parsed p = FlowDescription.parse(descriptions.get(f));
                    if (p.error() != null) {
                        return "Flow-Number " + sc.flowNumber() + ": " + p.error();
                    }
                    described.add(p.rule().direction());
                    ue = ue != null ? ue : p.rule().ueAddress();
                    peer = peer != null ? peer : p.rule().peerAddress();
                }
                permitted.retainAll(described);
            }
            boolean rtcp = sc != null && sc.flowUsage() == 1;
            long avpUl = sc != null && sc.maxRequestedBandwidthUl() >= 0 ? sc.maxRequestedBandwidthUl()
                    : rtcp ? -1 : mc.maxRequestedBandwidthUl();
            long avpDl = sc != null && sc.maxRequestedBandwidthDl() >= 0 ? sc.maxRequestedBandwidthDl()
                    : rtcp ? -1 : mc.maxRequestedBandwidthDl();
            long avpRtcp = mc.rrBandwidth() >= 0 || mc.rsBandwidth() >= 0
                    ? StreamQos.saturatedAdd(Math.max(0, mc.rrBandwidth()), Math.max(0, mc.rsBandwidth())) : -1;
            FlowKey key = new FlowKey(mc.number(), sc == null ? 0 : sc.flowNumber());
            out.add(FlowNegotiator.analyze(new FlowNegotiator.FlowInput(key, type, offerStream, answerStream, rtcp,
                    permitted, avpUl, avpDl, avpRtcp, ue != null ? ue : ueSdp, peer != null ? peer : peerSdp),
                    defaults, cap, explain));
        }
        return null;
    }

    /** The name of the Codec-Data at index {@code i}, for errors. */
    private static String where(int i) {
        return "Codec-Data " + (i + 1);
    }

    private static String sdpAddress(StreamQos offer, StreamQos answer, boolean ue) {
        if (offer != null && offer.fromUe() == ue && offer.address() != null) {
            return offer.address();
        }
        if (answer != null && answer.fromUe() == ue) {
            return answer.address();
        }
        return null;
    }

    private static Set<Direction> permitted(FlowStatus fs) {
        if (fs == null) {
            return EnumSet.allOf(Direction.class);
        }
        return switch (fs) {
            case ENABLED -> EnumSet.allOf(Direction.class);
            case ENABLED_UPLINK -> EnumSet.of(Direction.UPLINK);
            case ENABLED_DOWNLINK -> EnumSet.of(Direction.DOWNLINK);
            case DISABLED, REMOVED -> EnumSet.noneOf(Direction.class);
        };
    }
}
