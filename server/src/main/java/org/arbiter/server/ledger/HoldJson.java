package org.arbiter.server.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;

/**
 * How a {@link Hold} is written as JSON (the ledger CLI's {@code --json}, the admin API): its
 * accessors, in order, named as they are, the fields a record of the same components would have.
 * {@code Hold} is a value class without getters, and {@code core} does not know Jackson.
 */
@JsonPropertyOrder({"holdId", "sessionId", "flow", "direction", "partyAddress", "poolId", "deviceId", "bandwidthBps",
        "dscp", "maxLatencyMs", "state", "expiresAt"})
public abstract class HoldJson {

    private HoldJson() {}

    /** {@code mapper}, writing holds as this class says. */
    public static ObjectMapper register(ObjectMapper mapper) {
        return mapper.addMixIn(Hold.class, HoldJson.class);
    }

    @JsonProperty abstract long holdId();

    @JsonProperty abstract String sessionId();

    @JsonProperty abstract FlowKey flow();

    @JsonProperty abstract Direction direction();

    @JsonProperty abstract String partyAddress();

    @JsonProperty abstract String poolId();

    @JsonProperty abstract String deviceId();

    @JsonProperty abstract long bandwidthBps();

    @JsonProperty abstract int dscp();

    @JsonProperty abstract Integer maxLatencyMs();

    @JsonProperty abstract HoldState state();

    @JsonProperty abstract Instant expiresAt();
}
