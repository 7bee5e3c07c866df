package org.arbiter.core.qos;

import java.util.List;
import java.util.Objects;

/**
 * A flow's requirement with the reasoning behind it: what each side of the offer/answer asked
 * for, where every bandwidth came from, and what an operator should know. The engine needs only
 * {@link #requirement()}; {@code arbiter qos explain} and the decision audit show the rest.
 *
 * @param requirement the requirement to authorize, with the offered one and the modifications
 * @param offeredMedia the offer's {@code m=} value, or {@code null} without offer
 * @param answeredMedia the answer's {@code m=} value, or {@code null} without answer
 * @param codec the encoding name of the preferred format of the final SDP, or {@code null}
 * @param answeredUplink what the answer asked for UE to network, or {@code null} without answer
 * @param answeredDownlink what the answer asked for network to UE, or {@code null} without answer
 * @param uplinkBasis where the authorized uplink bandwidth came from
 * @param downlinkBasis where the authorized downlink bandwidth came from
 * @param gameFormat the {@code a=game-format} token, or {@code null}
 * @param preconditions the RFC 3312 lines, prefixed with {@code offer} or {@code answer}
 * @param notes remarks: a declined stream, a codec change, what Kamailio would not forward
 */
public record FlowAnalysis(
        FlowRequirement requirement,
        String offeredMedia,
        String answeredMedia,
        String codec,
        QosRequirement answeredUplink,
        QosRequirement answeredDownlink,
        String uplinkBasis,
        String downlinkBasis,
        String gameFormat,
        List<String> preconditions,
        List<String> notes) {

    public FlowAnalysis {
        Objects.requireNonNull(requirement, "requirement");
        preconditions = List.copyOf(preconditions);
        notes = List.copyOf(notes);
    }

    /** The answered requirement in one direction, or {@code null}. */
    public QosRequirement answered(Direction d) {
        return d == Direction.UPLINK ? answeredUplink : answeredDownlink;
    }

    /** The offered requirement in one direction, or {@code null}. */
    public QosRequirement offered(Direction d) {
        return d == Direction.UPLINK ? requirement.offerUplink() : requirement.offerDownlink();
    }

    /** Where the authorized bandwidth in one direction came from. */
    public String basis(Direction d) {
        return d == Direction.UPLINK ? uplinkBasis : downlinkBasis;
    }
}
