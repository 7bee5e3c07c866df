package org.arbiter.core.qos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.sdp.Attribute;
import org.arbiter.core.sdp.Bandwidth;
import org.arbiter.core.sdp.CodecDataLabel;
import org.arbiter.core.sdp.MediaDescription;
import org.arbiter.core.sdp.MediaDirection;
import org.arbiter.core.sdp.QosAttributes;
import org.arbiter.core.sdp.SessionDescription;

/**
 * SDP offer/answer for QoS: how an answer modified what the offer asked for, what to authorize,
 * and how to write what could be granted back as SDP.
 *
 * <p>Arbiter authorizes the answerer's requirement, the final one of the exchange
 * (ARCHITECTURE.md §5). Policy may cap it at what the offer asked for ({@link Cap#TO_OFFER}).
 * A requirement's bandwidth 0 means the direction carries no media.
 *
 * <p>Pure and thread-safe; no method throws for any non-null input.
 */
public final class Negotiation {

    private Negotiation() {}

    /** Whether the authorized requirement may exceed the offer. */
    public enum Cap {
        /** The answer is authorized as it is. */
        NONE,
        /**
         * Never more than offered: the bandwidth is at most the offer's, and the latency, jitter
         * and loss bounds are no stricter than the offer's. Class and security stay the answer's.
         */
        TO_OFFER
    }

    /**
     * How the answered requirement of one direction differs from the offered one. Bandwidth 0 on
     * exactly one side is {@link Modification#DIRECTION_CHANGED}; a bound the answer adds counts
     * as stricter, a bound it drops as looser.
     *
     * @return the modifications, empty when the answer is the same or a side is {@code null}
     */
    public static Set<Modification> compare(QosRequirement offered, QosRequirement answered) {
        Set<Modification> mods = EnumSet.noneOf(Modification.class);
        if (offered == null || answered == null) {
            return mods;
        }
        long o = offered.bandwidthBps();
        long a = answered.bandwidthBps();
        if ((o > 0) != (a > 0)) {
            mods.add(Modification.DIRECTION_CHANGED);
        } else if (a < o) {
            mods.add(Modification.BANDWIDTH_LOWER);
        } else if (a > o) {
            mods.add(Modification.BANDWIDTH_HIGHER);
        }
        Integer ol = offered.maxLatencyMs();
        Integer al = answered.maxLatencyMs();
        if (!Objects.equals(ol, al)) {
            boolean stricter = ol == null || (al != null && al < ol);
            mods.add(stricter ? Modification.LATENCY_STRICTER : Modification.LATENCY_LOOSER);
        }
        if (!Objects.equals(offered.maxJitterMs(), answered.maxJitterMs())) {
            mods.add(Modification.JITTER_CHANGED);
        }
        if (!Objects.equals(offered.maxLossPercent(), answered.maxLossPercent())) {
            mods.add(Modification.LOSS_CHANGED);
        }
        String oc = offered.sessionClass();
        String ac = answered.sessionClass();
        if (oc == null ? ac != null : !oc.equalsIgnoreCase(ac)) {
            mods.add(Modification.CLASS_CHANGED);
        }
        if (offered.security() != answered.security()) {
            mods.add(Modification.SECURITY_CHANGED);
        }
        return mods;
    }

    /**
     * The requirement to authorize for one direction: the answered one, capped by the offered one
     * when {@code cap} is {@link Cap#TO_OFFER}. Without an answer, the offered one.
     *
     * @return the requirement, or {@code null} when both sides are {@code null}
     */
    public static QosRequirement authorize(QosRequirement offered, QosRequirement answered, Cap cap) {
        if (answered == null) {
            return offered;
        }
        if (offered == null || cap == Cap.NONE) {
            return answered;
        }
        return new QosRequirement(
                Math.min(offered.bandwidthBps(), answered.bandwidthBps()),
                answered.sessionClass(),
                looser(offered.maxLatencyMs(), answered.maxLatencyMs()),
                looser(offered.maxJitterMs(), answered.maxJitterMs()),
                looser(offered.maxLossPercent(), answered.maxLossPercent()),
                answered.security());
    }

    private static Integer looser(Integer offered, Integer answered) {
        if (offered == null || answered == null) {
            return offered == null ? answered : offered;
        }
        return Math.max(offered, answered);
    }

    private static Double looser(Double offered, Double answered) {
        if (offered == null || answered == null) {
            return offered == null ? answered : offered;
        }
        return Math.max(offered, answered);
    }

    /**
     * The counter-offer for a whole description: every m-line whose position (its
     * Media-Component-Number) has a grant is rewritten by
     * {@link #counterOffer(MediaDescription, List, CodecDataLabel.Link)}; the others are declined
     * with port 0 (RFC 3264 §6).
     *
     * @param sdp the description to rewrite, usually the answer
     * @param grants what could be granted (the Acceptable-Service-Info of a 5063)
     * @param author {@link CodecDataLabel.Link#UPLINK} when the UE wrote {@code sdp}, so that a grant
     *     in one direction only becomes the right direction attribute
     */
    public static SessionDescription counterOffer(SessionDescription sdp, List<FlowGrant> grants,
                                                  CodecDataLabel.Link author) {
        List<MediaDescription> media = new ArrayList<>();
        for (int i = 0; i < sdp.media().size(); i++) {
            int component = i + 1;
            List<FlowGrant> mine = grants.stream().filter(g -> g.key().mediaComponent() == component).toList();
            media.add(counterOffer(sdp.media().get(i), mine, author));
        }
        return sdp.withMedia(media);
    }

    /**
     * One m-line rewritten to what the grants of its component allow: {@code b=AS} set to the larger
     * granted direction (kbit/s, rounded up), {@code b=TIAS} and {@code a=maxprate} removed,
     * {@code a=qos-latency} and {@code a=qos-class} set to the granted values, and a direction
     * attribute when only one direction is granted. No grant, or nothing granted, declines the
     * stream (port 0). Other lines are kept.
     */
    public static MediaDescription counterOffer(MediaDescription media, List<FlowGrant> grants,
                                                CodecDataLabel.Link author) {
        long ul = grants.stream().mapToLong(FlowGrant::uplinkBps).max().orElse(0);
        long dl = grants.stream().mapToLong(FlowGrant::downlinkBps).max().orElse(0);
        if (ul == 0 && dl == 0) {
            return media.withPort(0);
        }
        FlowGrant main = grants.stream()
                .max(Comparator.comparingLong(g -> g.uplinkBps() + g.downlinkBps())).orElseThrow();
        List<Bandwidth> bandwidths = new ArrayList<>();
        bandwidths.add(new Bandwidth(Bandwidth.AS, ceilKbps(Math.max(ul, dl))));
        media.bandwidths().stream().filter(b -> !b.is(Bandwidth.AS) && !b.is(Bandwidth.TIAS)).forEach(bandwidths::add);
        MediaDirection direction = null;
        if (ul == 0 || dl == 0) {
            boolean ueSends = ul > 0;
            boolean authorSends = author == CodecDataLabel.Link.UPLINK ? ueSends : !ueSends;
            direction = authorSends ? MediaDirection.SENDONLY : MediaDirection.RECVONLY;
        }
        String latency = main.maxLatencyMs() == null ? null : main.maxLatencyMs().toString();
        String cls = printableClass(main.sessionClass());
        List<Attribute> attributes = new ArrayList<>();
        boolean latencyDone = latency == null;
        boolean classDone = cls == null;
        boolean directionDone = direction == null;
        for (Attribute a : media.attributes()) {
            if (a.name().equals("maxprate")) {
                continue;
            }
            if (a.name().equals(QosAttributes.LATENCY) && !latencyDone) {
                attributes.add(new Attribute(QosAttributes.LATENCY, latency));
                latencyDone = true;
            } else if (a.name().equals(QosAttributes.CLASS) && !classDone) {
                attributes.add(new Attribute(QosAttributes.CLASS, cls));
                classDone = true;
            } else if (MediaDirection.fromAttributeName(a.name()) != null && direction != null) {
                if (!directionDone) {
                    attributes.add(Attribute.flag(direction.attributeName()));
                    directionDone = true;
                }
            } else {
                attributes.add(a);
            }
        }
        if (!classDone) {
            attributes.add(new Attribute(QosAttributes.CLASS, cls));
        }
        if (!latencyDone) {
            attributes.add(new Attribute(QosAttributes.LATENCY, latency));
        }
        if (!directionDone) {
            attributes.add(Attribute.flag(direction.attributeName()));
        }
        return media.withBandwidths(bandwidths).withAttributes(attributes);
    }

    /** The class when it can be written as an {@code a=qos-class} value, else {@code null}. */
    private static String printableClass(String cls) {
        if (cls == null || cls.isEmpty()) {
            return null;
        }
        for (int i = 0; i < cls.length(); i++) {
            char c = cls.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return null;
            }
        }
        return QosAttributes.check(new Attribute(QosAttributes.CLASS, cls)) == null ? cls : null;
    }

    private static long ceilKbps(long bps) {
        return bps / 1000 + (bps % 1000 == 0 ? 0 : 1);
    }
}
