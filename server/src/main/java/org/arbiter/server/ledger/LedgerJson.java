package org.arbiter.server.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldState;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;

/**
 * The JSON mapper for the ledger's values, shared by the ledger CLI's {@code --json} and the admin
 * API: times as ISO-8601 text, and {@link Hold} by its accessors, in order, named as they are (the
 * fields a record of the same components would have). {@code Hold} is a value class without
 * getters, and {@code core} does not know Jackson.
 */
public final class LedgerJson {

    private LedgerJson() {}

    /** A new mapper, configured as above. */
    public static ObjectMapper mapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .addMixIn(Hold.class, HoldProperties.class);
    }

    /** The properties of a {@link Hold}. */
    @JsonPropertyOrder({"holdId", "sessionId", "flow", "direction", "partyAddress", "poolId", "deviceId",
            "bandwidthBps", "dscp", "maxLatencyMs", "state", "expiresAt"})
    private abstract static class HoldProperties {
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
}
