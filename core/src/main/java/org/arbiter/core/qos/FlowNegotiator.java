package org.arbiter.core.qos;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.arbiter.core.sdp.QosAttributes;
import org.arbiter.core.session.MediaType;

/**
 * Derives one flow's requirement from the offer and answer of its m-line and the Rx AVPs.
 *
 * <p>Order of precedence for the bandwidth of a direction: Max-Requested-Bandwidth of the flow's
 * Media-Sub-Component, then of its Media-Component (not for RTCP flows); for RTCP flows
 * RR-Bandwidth + RS-Bandwidth; then the negotiated SDP ({@code b=AS}, {@code b=TIAS}, for RTCP
 * {@code b=RS + b=RR} or 5 % of the stream, RFC 3550 §6.2); then {@link MediaDefaults}. A direction
 * that Flow-Status, the Flow-Descriptions or the SDP direction attributes close has bandwidth 0.
 *
 * <p>The SDP of each side is read as the requirement of the stream in every direction that side
 * lets media flow; an answer that omits a line keeps the offer's value.
 */
final class FlowNegotiator {

    private FlowNegotiator() {}

    /** {@link Direction#values()}, without the copy each call of it makes. */
    private static final Direction[] DIRECTIONS = Direction.values();

    /**
     * Everything known about one flow.
     *
     * @param key the flow
     * @param mediaType the media type (never {@code null})
     * @param offer the offer's m-line, or {@code null}
     * @param answer the answer's m-line, or {@code null}
     * @param rtcp true for an RTCP flow (Flow-Usage RTCP)
     * @param permitted the directions Flow-Status and the Flow-Descriptions allow
     * @param avpUl Max-Requested-Bandwidth-UL that applies, or -1
     * @param avpDl Max-Requested-Bandwidth-DL that applies, or -1
     * @param avpRtcp RR-Bandwidth + RS-Bandwidth for an RTCP flow, or -1
     * @param ueAddress the UE's address, or {@code null}
     * @param peerAddress the other end's address, or {@code null}
     */
    record FlowInput(FlowKey key, MediaType mediaType, StreamQos offer, StreamQos answer, boolean rtcp,
                     Set<Direction> permitted, long avpUl, long avpDl, long avpRtcp, String ueAddress,
                     String peerAddress) {}

    /** What one side asked for, per direction, and where its bandwidth came from. */
    private record Side(QosRequirement uplink, QosRequirement downlink, String basis) {
        QosRequirement get(Direction d) {
            return d == Direction.UPLINK ? uplink : downlink;
        }
    }

    static FlowAnalysis analyze(FlowInput in, MediaDefaults defaults, Negotiation.Cap cap) {
        return analyze(in, defaults, cap, true);
    }

    /**
     * The analysis; with {@code explain} false only {@link FlowAnalysis#requirement()} is filled
     * in (the bases are {@code null}, the notes and preconditions empty), which is all the engine
     * needs and spares building the texts.
     */
    static FlowAnalysis analyze(FlowInput in, MediaDefaults defaults, Negotiation.Cap cap, boolean explain) {
        Side offered = in.offer() == null ? null : side(in, in.offer(), null, defaults, "offer", explain);
        Side answered = in.answer() == null ? null : side(in, in.answer(), in.offer(), defaults, "answer", explain);
        Set<Modification> mods = EnumSet.noneOf(Modification.class);
        if (offered != null && answered != null) {
            mods.addAll(Negotiation.compare(offered.uplink(), answered.uplink()));
            mods.addAll(Negotiation.compare(offered.downlink(), answered.downlink()));
        }
        QosRequirement[] authorized = new QosRequirement[2];
        String[] basis = new String[2];
        for (Direction d : DIRECTIONS) {
            QosRequirement o = offered == null ? null : offered.get(d);
            QosRequirement a = answered == null ? null : answered.get(d);
            QosRequirement r = Negotiation.authorize(o, a, cap);
            String b = answered != null ? answered.basis() : offered != null ? offered.basis() : null;
            if (r == null) {
                MediaDefaults.Choice c = defaults.choose(in.mediaType(), null);
                r = QosRequirement.ofBandwidth(in.rtcp() ? fivePercent(c.bps()) : c.bps());
                b = in.rtcp() ? "RTCP 5% of the " + c.basis() : c.basis();
            } else if (explain && a != null && o != null && r.bandwidthBps() < a.bandwidthBps()) {
                b = b + ", capped to the offer's " + o.bandwidthBps() + " bit/s";
            }
            long avp = d == Direction.UPLINK ? in.avpUl() : in.avpDl();
            if (avp >= 0) {
                r = r.withBandwidth(avp);
                b = d == Direction.UPLINK ? "Max-Requested-Bandwidth-UL" : "Max-Requested-Bandwidth-DL";
            } else if (in.rtcp() && in.avpRtcp() >= 0) {
                r = r.withBandwidth(in.avpRtcp());
                b = "RR-Bandwidth + RS-Bandwidth";
            }
            if (!in.permitted().contains(d)) {
                r = r.withBandwidth(0);
                b = "closed by Flow-Status or Flow-Description";
            } else if (!sdpActive(in, d)) {
                r = r.withBandwidth(0);
                b = "no media this way (SDP direction or port 0)";
            }
            authorized[d.ordinal()] = r;
            basis[d.ordinal()] = b;
        }
        FlowRequirement req = new FlowRequirement(in.key(), in.mediaType(), in.ueAddress(), in.peerAddress(),
                authorized[Direction.UPLINK.ordinal()], authorized[Direction.DOWNLINK.ordinal()],
                offered == null ? null : offered.uplink(), offered == null ? null : offered.downlink(), mods);
        if (!explain) {
            return new FlowAnalysis(req, null, null, null, null, null, null, null, null, List.of(), List.of());
        }
        StreamQos last = in.answer() != null ? in.answer() : in.offer();
        QosAttributes finalQos = last == null ? QosAttributes.NONE : merged(last, in.answer() != null ? in.offer() : null);
        List<String> preconditions = new ArrayList<>();
        if (in.offer() != null) {
            in.offer().qos().preconditions().forEach(p -> preconditions.add("offer " + p));
        }
        if (in.answer() != null) {
            in.answer().qos().preconditions().forEach(p -> preconditions.add("answer " + p));
        }
        return new FlowAnalysis(req,
                in.offer() == null ? null : in.offer().media().mediaLine(),
                in.answer() == null ? null : in.answer().media().mediaLine(),
                last == null ? null : last.codec(),
                answered == null ? null : answered.uplink(),
                answered == null ? null : answered.downlink(),
                basis[Direction.UPLINK.ordinal()], basis[Direction.DOWNLINK.ordinal()],
                finalQos.gameFormat(), preconditions, notes(in));
    }

    private static Side side(FlowInput in, StreamQos s, StreamQos inherit, MediaDefaults defaults, String label,
                             boolean explain) {
        long bw;
        String basis = null;
        if (s.bandwidthBps() >= 0) {
            bw = s.bandwidthBps();
            if (explain) {
                basis = label + " " + s.bandwidthBasis();
            }
        } else if (inherit != null && inherit.bandwidthBps() >= 0) {
            bw = inherit.bandwidthBps();
            if (explain) {
                basis = "offer " + inherit.bandwidthBasis() + " (the answer has no b=)";
            }
        } else {
            MediaDefaults.Choice c = defaults.choose(in.mediaType(), s.codec());
            bw = c.bps();
            basis = c.basis();
        }
        if (in.rtcp()) {
            if (s.rtcpBps() >= 0) {
                bw = s.rtcpBps();
                if (explain) {
                    basis = label + " " + s.rtcpBasis();
                }
            } else if (inherit != null && inherit.rtcpBps() >= 0) {
                bw = inherit.rtcpBps();
                if (explain) {
                    basis = "offer " + inherit.rtcpBasis() + " (the answer has no b=RS/RR)";
                }
            } else {
                bw = fivePercent(bw);
                if (explain) {
                    basis = "RTCP 5% of the " + basis;
                }
            }
        }
        QosAttributes q = merged(s, inherit);
        long up = s.active(Direction.UPLINK) ? bw : 0;
        long down = s.active(Direction.DOWNLINK) ? bw : 0;
        QosRequirement uplink = requirement(q, up);
        // both directions alike (the common sendrecv stream): one value serves both
        return new Side(uplink, down == up ? uplink : requirement(q, down), basis);
    }

    private static QosAttributes merged(StreamQos s, StreamQos inherit) {
        return inherit == null ? s.qos() : inherit.qos().overriddenBy(s.qos());
    }

    private static QosRequirement requirement(QosAttributes q, long bps) {
        return new QosRequirement(bps, q.qosClass(), q.latencyMs(), q.jitterMs(), q.lossPercent(),
                q.security() == null ? null : Security.fromToken(q.security()));
    }

    private static long fivePercent(long bps) {
        return bps / 20 + (bps % 20 == 0 ? 0 : 1);
    }

    /** True when the final SDP lets media flow this way (no SDP at all: true). */
    private static boolean sdpActive(FlowInput in, Direction d) {
        if (in.answer() != null) {
            return in.answer().active(d) && (in.offer() == null || in.offer().active(d));
        }
        return in.offer() == null || in.offer().active(d);
    }

    private static List<String> notes(FlowInput in) {
        List<String> notes = new ArrayList<>();
        if (in.offer() != null && in.offer().media().rejected()) {
            notes.add("the offer disables the stream (port 0)");
        }
        if (in.answer() != null && in.answer().media().rejected()) {
            notes.add("the answer declines the stream (port 0)");
        }
        if (in.offer() != null && in.answer() != null && !in.answer().media().rejected()
                && !in.offer().codec().equals(in.answer().codec())) {
            notes.add("the answer chose " + in.answer().codec() + " (the offer preferred " + in.offer().codec() + ")");
        }
        StreamQos s = in.offer() != null ? in.offer() : in.answer();
        if (s != null) {
            String proto = s.media().proto();
            if (!s.media().rtp()) {
                notes.add("transport " + proto + " is not RTP: Kamailio 5.6 ims_qos leaves this m-line out of the AAR");
            } else if (proto.toUpperCase(Locale.ROOT).equals("RTP/SAVPF")) {
                notes.add("RTP/SAVPF: Kamailio 5.6 ims_qos sends this component without Flow-Description");
            }
        }
        return notes;
    }
}
