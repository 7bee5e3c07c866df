package org.arbiter.core.qos;

import java.util.List;
import java.util.Objects;
import org.arbiter.core.sdp.SessionDescription;

/**
 * What {@code arbiter qos explain} shows: per flow the offered, answered and authorized
 * requirements, the modifications, the sources of the bandwidths and the treatment, and the
 * counter-offer when grants were given. {@link #toText()} renders a readable table and
 * {@link #toJson()} a JSON document; both are pure.
 *
 * @param ueRole {@code offerer} or {@code answerer}: which side the UE of the request is
 * @param offerSource where the offer came from (a file name), or {@code null}
 * @param answerSource where the answer came from, or {@code null}
 * @param cap the offer cap applied
 * @param flows the flows, in Media-Component-Number order
 * @param counterOffer the SDP of what could be granted, or {@code null}
 */
public record Explanation(String ueRole, String offerSource, String answerSource, Negotiation.Cap cap,
                          List<Flow> flows, SessionDescription counterOffer) {

    public Explanation {
        Objects.requireNonNull(ueRole, "ueRole");
        Objects.requireNonNull(cap, "cap");
        flows = List.copyOf(flows);
    }

    /**
     * One flow and its treatment.
     *
     * @param analysis the requirement and its reasoning
     * @param treatment the traffic class the table gives it
     */
    public record Flow(FlowAnalysis analysis, TreatmentTable.Match treatment) {
        public Flow {
            Objects.requireNonNull(analysis, "analysis");
            Objects.requireNonNull(treatment, "treatment");
        }
    }

    /** The explanation as text: a summary table, then one block per flow. */
    public String toText() {
        return ExplanationFormat.text(this);
    }

    /** The explanation as a JSON object (UTF-8 text, keys in a fixed order). */
    public String toJson() {
        return ExplanationFormat.json(this);
    }
}
