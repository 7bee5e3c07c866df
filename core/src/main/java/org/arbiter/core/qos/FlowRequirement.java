package org.arbiter.core.qos;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.arbiter.core.session.MediaType;

/**
 * The negotiated requirements of one flow, per direction, as seen from the UE of the request.
 *
 * <p>{@link #uplink()} and {@link #downlink()} are what the answerer asked for: the requirement to
 * authorize. {@link #offerUplink()} and {@link #offerDownlink()} are what the offerer asked for,
 * or {@code null} when no offer was seen. A direction that carries no traffic (sendonly,
 * recvonly, inactive, Flow-Status) has bandwidth 0.
 *
 * @param key the flow
 * @param mediaType the media type of its component
 * @param ueAddress the address of the UE the request is for, or {@code null}
 * @param peerAddress the address of the other end, from the Flow-Description or SDP, or {@code null}
 * @param uplink the authorized requirement UE to network
 * @param downlink the authorized requirement network to UE
 * @param offerUplink the offered requirement UE to network, or {@code null}
 * @param offerDownlink the offered requirement network to UE, or {@code null}
 * @param modifications how the answer changed the offer; empty when it did not
 */
public record FlowRequirement(
        FlowKey key,
        MediaType mediaType,
        String ueAddress,
        String peerAddress,
        QosRequirement uplink,
        QosRequirement downlink,
        QosRequirement offerUplink,
        QosRequirement offerDownlink,
        Set<Modification> modifications) {

    public FlowRequirement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(uplink, "uplink");
        Objects.requireNonNull(downlink, "downlink");
        // in the enum's order: a hashed set's order changes from one process to the next, and
        // the policy's conditions and traces list the modifications in the set's order
        modifications = modifications.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(modifications));
    }

    /** The requirement in one direction. */
    public QosRequirement in(Direction d) {
        return d == Direction.UPLINK ? uplink : downlink;
    }

    /** True when the answer modified the offer. */
    public boolean modified() {
        return !modifications.isEmpty();
    }

    /** The session class of the flow: the downlink's, else the uplink's, else {@code null}. */
    public String sessionClass() {
        return downlink.sessionClass() != null ? downlink.sessionClass() : uplink.sessionClass();
    }
}
