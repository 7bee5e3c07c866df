package org.arbiter.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RxRequestTest {

    private static RxRequest withActions(Set<SpecificAction> actions) {
        return new RxRequest("s;1", "pcscf.example.net", "example.net", List.of(), "10.0.0.7", List.of(), actions,
                null, null, null, Instant.EPOCH);
    }

    @Test
    void theSpecificActionsAreAnUnmodifiableCopyInTheEnumsOrder() {
        Set<SpecificAction> given = EnumSet.of(SpecificAction.INDICATION_OF_RELEASE_OF_BEARER,
                SpecificAction.CHARGING_CORRELATION_EXCHANGE);
        RxRequest r = withActions(given);
        given.clear();

        assertThat(r.specificActions()).containsExactly(SpecificAction.CHARGING_CORRELATION_EXCHANGE,
                SpecificAction.INDICATION_OF_RELEASE_OF_BEARER);
        assertThat(r.specificActions()).isEqualTo(Set.of(SpecificAction.INDICATION_OF_RELEASE_OF_BEARER,
                SpecificAction.CHARGING_CORRELATION_EXCHANGE));
        assertThatThrownBy(() -> r.specificActions().add(SpecificAction.INDICATION_OF_LOSS_OF_BEARER))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(withActions(Set.of()).specificActions()).isEmpty();
    }

    @Test
    void aNullSpecificActionIsRefused() {
        Set<SpecificAction> withNull = new HashSet<>();
        withNull.add(SpecificAction.CHARGING_CORRELATION_EXCHANGE);
        withNull.add(null);

        assertThatThrownBy(() -> withActions(withNull)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> withActions(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("specificActions");
    }
}
