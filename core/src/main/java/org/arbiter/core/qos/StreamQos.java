package org.arbiter.core.qos;

import java.util.List;
import org.arbiter.core.sdp.Bandwidth;
import org.arbiter.core.sdp.Connection;
import org.arbiter.core.sdp.MediaDescription;
import org.arbiter.core.sdp.MediaDirection;
import org.arbiter.core.sdp.QosAttributes;
import org.arbiter.core.sdp.SessionDescription;

/**
 * What one m-line of one party's SDP says about QoS, seen from the UE of the request.
 *
 * @param media the media description
 * @param fromUe true when the UE wrote this SDP
 * @param direction the direction from the author's view ({@code inactive} for port 0)
 * @param bandwidthBps the stream's bit/s from {@code b=}, or -1 when the SDP gives none
 * @param bandwidthBasis the line it came from, or {@code null} (always when built without explaining)
 * @param rtcpBps RTCP bit/s from {@code b=RS}/{@code b=RR}, or -1
 * @param rtcpBasis the lines it came from, or {@code null} (always when built without explaining)
 * @param qos the extended attributes, session level overridden by media level
 * @param address the connection address that applies, or {@code null}
 */
record StreamQos(
        MediaDescription media,
        boolean fromUe,
        MediaDirection direction,
        long bandwidthBps,
        String bandwidthBasis,
        long rtcpBps,
        String rtcpBasis,
        QosAttributes qos,
        String address) {

    /** IPv4 + UDP headers, bytes per packet, added to b=TIAS at a=maxprate (RFC 3890 §6). */
    static final int IPV4_UDP_OVERHEAD = 28;
    /** IPv6 + UDP headers, bytes per packet. */
    static final int IPV6_UDP_OVERHEAD = 48;

    /**
     * What the m-line says; with {@code explain} false the bases are left {@code null}: only an
     * explanation shows them, and writing them out costs more than reading the bandwidths.
     */
    static StreamQos of(SessionDescription sd, MediaDescription m, boolean fromUe, boolean explain) {
        Connection c = sd.connectionOf(m);
        long bw = -1;
        String basis = null;
        Bandwidth as = m.bandwidth(Bandwidth.AS);
        Bandwidth tias = m.bandwidth(Bandwidth.TIAS);
        String level = "";
        if (as == null && tias == null && sd.media().size() == 1) {
            as = sessionBandwidth(sd, Bandwidth.AS);
            tias = sessionBandwidth(sd, Bandwidth.TIAS);
            level = "session ";
        }
        if (as != null) {
            bw = as.bitsPerSecond();
            basis = explain ? level + "b=" + as : null;
        } else if (tias != null) {
            bw = tias.bitsPerSecond();
            basis = explain ? level + "b=" + tias : null;
            String rate = m.attribute("maxprate") != null ? m.attribute("maxprate").valueOrEmpty().trim()
                    : sd.attribute("maxprate") != null ? sd.attribute("maxprate").valueOrEmpty().trim() : null;
            double packets = packetRate(rate);
            if (packets > 0) {
                int overhead = c != null && c.ipv6() ? IPV6_UDP_OVERHEAD : IPV4_UDP_OVERHEAD;
                bw = saturatedAdd(bw, (long) Math.min(Long.MAX_VALUE, Math.ceil(packets * overhead * 8)));
                basis = explain ? basis + " + " + overhead + " bytes x a=maxprate:" + rate : null;
            }
        }
        long rtcp = -1;
        String rtcpBasis = null;
        Bandwidth rs = m.bandwidth(Bandwidth.RS);
        Bandwidth rr = m.bandwidth(Bandwidth.RR);
        if (rs == null && rr == null) {
            rs = sessionBandwidth(sd, Bandwidth.RS);
            rr = sessionBandwidth(sd, Bandwidth.RR);
        }
        if (rs != null || rr != null) {
            rtcp = saturatedAdd(rs == null ? 0 : rs.value(), rr == null ? 0 : rr.value());
            rtcpBasis = !explain ? null : (rs == null ? "" : "b=" + rs) + (rs != null && rr != null ? " + " : "")
                    + (rr == null ? "" : "b=" + rr);
        }
        return new StreamQos(m, fromUe, sd.direction(m), bw, basis, rtcp, rtcpBasis, sd.qosOf(m),
                c == null ? null : c.host());
    }

    /** The a=maxprate value, or -1 when absent or not a number (the parser refuses those). */
    private static double packetRate(String rate) {
        if (rate == null || rate.isEmpty()) {
            return -1;
        }
        try {
            double r = Double.parseDouble(rate);
            return Double.isFinite(r) ? r : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Bandwidth sessionBandwidth(SessionDescription sd, String type) {
        List<Bandwidth> bandwidths = sd.bandwidths();
        for (int i = 0; i < bandwidths.size(); i++) {
            Bandwidth b = bandwidths.get(i);
            if (b.is(type)) {
                return b;
            }
        }
        return null;
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    /** True when media flows in this direction, seen from the UE, according to this SDP. */
    boolean active(Direction d) {
        boolean authorSends = direction.sends();
        boolean authorReceives = direction.receives();
        if (d == Direction.UPLINK) {
            return fromUe ? authorSends : authorReceives;
        }
        return fromUe ? authorReceives : authorSends;
    }

    /** The codec of the preferred format. */
    String codec() {
        return media.codec();
    }
}
