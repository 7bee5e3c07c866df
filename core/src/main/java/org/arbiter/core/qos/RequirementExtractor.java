package org.arbiter.core.qos;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.RxRequest;

/**
 * Turns the media components of a request into per-flow, per-direction requirements.
 *
 * <p>Sources, in order of precedence: the Rx bandwidth AVPs (Max-Requested-Bandwidth-UL/DL), then
 * the SDP in Codec-Data ({@code b=AS}, {@code b=TIAS}, the {@code a=qos-*} lines); anything still
 * unspecified is left to policy defaults (bandwidth 0, null attributes). The answerer's values are
 * the requirement; the offerer's are kept for negotiation.
 *
 * <p>Pure and thread-safe. Never throws for bad input: {@link Extraction#error()} says what is wrong.
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

    /** Extracts the requirements of every flow of the request. */
    public static Extraction extract(RxRequest request) {
        List<FlowRequirement> out = new ArrayList<>();
        for (MediaComponent mc : request.components()) {
            SdpMedia offer = null;
            SdpMedia answer = null;
            boolean offerIsUplink = true;
            for (String cd : mc.codecData()) {
                String[] header = cd.split("\n", 3);
                if (header.length < 2) {
                    return new Extraction(List.of(), "Media-Component " + mc.number() + ": Codec-Data has no direction/offer header");
                }
                String dir = header[0].trim().toLowerCase(Locale.ROOT);
                String role = header[1].trim().toLowerCase(Locale.ROOT);
                SdpMedia m = SdpMedia.parse(header.length > 2 ? header[2] : "");
                if (role.equals("offer")) {
                    offer = m;
                    offerIsUplink = dir.equals("uplink");
                } else if (role.equals("answer")) {
                    answer = m;
                }
            }
            SdpMedia uplinkSdp = offerIsUplink ? offer : answer;
            SdpMedia downlinkSdp = offerIsUplink ? answer : offer;
            SdpMedia last = answer != null ? answer : offer;
            List<MediaSubComponent> subs = mc.subComponents().isEmpty()
                    ? List.of(new MediaSubComponent(0, List.of(), mc.flowStatus(), -1, -1, -1))
                    : mc.subComponents();
            for (MediaSubComponent sc : subs) {
                long ul = firstPositive(sc.maxRequestedBandwidthUl(), mc.maxRequestedBandwidthUl(),
                        uplinkSdp == null ? -1 : uplinkSdp.bandwidthBps);
                long dl = firstPositive(sc.maxRequestedBandwidthDl(), mc.maxRequestedBandwidthDl(),
                        downlinkSdp == null ? -1 : downlinkSdp.bandwidthBps);
                FlowStatus fs = sc.flowStatus() != null ? sc.flowStatus() : mc.flowStatus();
                if (fs == FlowStatus.DISABLED || fs == FlowStatus.REMOVED) {
                    ul = 0;
                    dl = 0;
                } else if (fs == FlowStatus.ENABLED_UPLINK) {
                    dl = 0;
                } else if (fs == FlowStatus.ENABLED_DOWNLINK) {
                    ul = 0;
                }
                String[] addrs = addresses(sc.flowDescriptions(), request.framedIpAddress());
                QosRequirement up = requirement(last, offer, Math.max(ul, 0));
                QosRequirement down = requirement(last, offer, Math.max(dl, 0));
                QosRequirement offUp = offer == null ? null : requirement(offer, null, Math.max(ul, 0));
                QosRequirement offDown = offer == null ? null : requirement(offer, null, Math.max(dl, 0));
                out.add(new FlowRequirement(new FlowKey(mc.number(), sc.flowNumber()), mc.mediaType(), addrs[0], addrs[1],
                        up, down, offUp, offDown, modifications(offer, answer)));
            }
        }
        return new Extraction(out, null);
    }

    private static long firstPositive(long... values) {
        for (long v : values) {
            if (v > 0) {
                return v;
            }
        }
        return -1;
    }

    private static QosRequirement requirement(SdpMedia m, SdpMedia fallback, long bps) {
        if (m == null) {
            return QosRequirement.ofBandwidth(bps);
        }
        return new QosRequirement(bps,
                m.cls != null ? m.cls : fallback == null ? null : fallback.cls,
                m.latency != null ? m.latency : fallback == null ? null : fallback.latency,
                m.jitter != null ? m.jitter : fallback == null ? null : fallback.jitter,
                m.loss != null ? m.loss : fallback == null ? null : fallback.loss,
                m.security != null ? m.security : fallback == null ? null : fallback.security);
    }

    private static Set<Modification> modifications(SdpMedia offer, SdpMedia answer) {
        Set<Modification> mods = EnumSet.noneOf(Modification.class);
        if (offer == null || answer == null) {
            return mods;
        }
        if (offer.bandwidthBps > 0 && answer.bandwidthBps > 0 && answer.bandwidthBps < offer.bandwidthBps) {
            mods.add(Modification.BANDWIDTH_LOWER);
        }
        if (offer.latency != null && answer.latency != null && !offer.latency.equals(answer.latency)) {
            mods.add(answer.latency < offer.latency ? Modification.LATENCY_STRICTER : Modification.LATENCY_LOOSER);
        }
        if (offer.cls != null && answer.cls != null && !offer.cls.equals(answer.cls)) {
            mods.add(Modification.CLASS_CHANGED);
        }
        if (offer.security != null && answer.security != null && offer.security != answer.security) {
            mods.add(Modification.SECURITY_CHANGED);
        }
        return mods;
    }

    /** [ue, peer] from IPFilterRules: "out" goes to the UE, "in" comes from it. */
    static String[] addresses(List<String> descriptions, String framed) {
        String ue = framed;
        String peer = null;
        for (String d : descriptions) {
            String[] t = d.trim().split("\\s+");
            int from = indexOf(t, "from");
            int to = indexOf(t, "to");
            if (t.length < 2 || from < 0 || to < 0 || from + 1 >= t.length || to + 1 >= t.length) {
                continue;
            }
            String src = stripMask(t[from + 1]);
            String dst = stripMask(t[to + 1]);
            if (t[1].equals("out")) {
                ue = ue == null ? dst : ue;
                peer = peer == null ? src : peer;
            } else if (t[1].equals("in")) {
                ue = ue == null ? src : ue;
                peer = peer == null ? dst : peer;
            }
        }
        return new String[] {ue, "any".equals(peer) ? null : peer};
    }

    private static int indexOf(String[] t, String word) {
        for (int i = 0; i < t.length; i++) {
            if (t[i].equals(word)) {
                return i;
            }
        }
        return -1;
    }

    private static String stripMask(String a) {
        int s = a.indexOf('/');
        return s < 0 ? a : a.substring(0, s);
    }

    /** The few media-level SDP facts this extractor reads. */
    private static final class SdpMedia {
        long bandwidthBps = -1;
        String cls;
        Integer latency;
        Integer jitter;
        Double loss;
        Security security;

        static SdpMedia parse(String text) {
            SdpMedia m = new SdpMedia();
            for (String raw : text.split("\n")) {
                String line = raw.replace("\r", "").replace("\0", "").trim();
                try {
                    if (line.startsWith("b=AS:")) {
                        m.bandwidthBps = Long.parseLong(line.substring(5).trim()) * 1000;
                    } else if (line.startsWith("b=TIAS:") && m.bandwidthBps < 0) {
                        m.bandwidthBps = Long.parseLong(line.substring(7).trim());
                    } else if (line.startsWith("a=qos-class:")) {
                        m.cls = line.substring(12).trim();
                    } else if (line.startsWith("a=qos-latency:")) {
                        m.latency = Integer.parseInt(line.substring(14).trim());
                    } else if (line.startsWith("a=qos-jitter:")) {
                        m.jitter = Integer.parseInt(line.substring(13).trim());
                    } else if (line.startsWith("a=qos-loss:")) {
                        m.loss = Double.parseDouble(line.substring(11).trim());
                    } else if (line.startsWith("a=qos-security:")) {
                        m.security = Security.fromToken(line.substring(15));
                    }
                } catch (NumberFormatException e) {
                    // a malformed value is ignored here; strict parsing lives in the SDP parser
                }
            }
            return m;
        }
    }
}
