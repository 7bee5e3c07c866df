package org.arbiter.core.sdp;

import java.util.Locale;
import java.util.Objects;

/**
 * The two header lines of a Codec-Data value (TS 29.214 §5.3.7): where the SDP travelled and which
 * part of the offer/answer exchange it is. Kamailio's ims_qos writes {@code uplink\noffer\n} and
 * {@code downlink\nanswer\n} for the originating side and {@code downlink\noffer\n} and
 * {@code uplink\nanswer\n} for the terminating side.
 *
 * @param link {@link Link#UPLINK} when the UE of the request wrote the SDP
 * @param role offer, answer or a plain description
 */
public record CodecDataLabel(Link link, Role role) {

    public CodecDataLabel {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(role, "role");
    }

    /** The first header line. */
    public enum Link {
        /** Sent by the UE towards the network: the UE wrote it. */
        UPLINK,
        /** Sent by the network to the UE: the other party wrote it. */
        DOWNLINK;

        String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The second header line. */
    public enum Role {
        OFFER, ANSWER, DESCRIPTION;

        String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** True when the UE of the request wrote the SDP. */
    public boolean fromUe() {
        return link == Link.UPLINK;
    }

    /** The header as Kamailio writes it: two lines, each ending in LF. */
    public String header() {
        return link.token() + "\n" + role.token() + "\n";
    }

    /** {@code uplink offer}. */
    @Override
    public String toString() {
        return link.token() + " " + role.token();
    }
}
