package org.arbiter.core.qos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.arbiter.core.session.MediaType;
import org.junit.jupiter.api.Test;

class FlowRequirementTest {

    private static FlowRequirement withModifications(Set<Modification> mods) {
        QosRequirement q = QosRequirement.ofBandwidth(64_000);
        return new FlowRequirement(new FlowKey(1, 1), MediaType.AUDIO, "10.0.0.7", null, q, q, q, q, mods);
    }

    @Test
    void modificationsIterateInTheirDeclaredOrderWhateverOrderTheyCameIn() {
        List<Modification> reversed = Arrays.asList(Modification.values()).reversed();

        FlowRequirement f = withModifications(new LinkedHashSet<>(reversed));

        // the policy's conditions and traces list them in this order: it must not change from
        // one process to the next
        assertThat(f.modifications()).containsExactly(Modification.values());
        assertThat(withModifications(Set.copyOf(reversed)).modifications()).containsExactly(Modification.values());
        assertThat(withModifications(Set.of()).modifications()).isEmpty();
        assertThat(f.modified()).isTrue();
    }
}
