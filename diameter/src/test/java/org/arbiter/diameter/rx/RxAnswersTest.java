package org.arbiter.diameter.rx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.Dictionary;
import org.junit.jupiter.api.Test;

class RxAnswersTest {

    private static final Dictionary D = Dictionary.standard();

    @Test
    void acceptableServiceInfoSumsTheGrantsPerMediaComponent() {
        List<FlowGrant> grants = List.of(
                new FlowGrant(new FlowKey(1, 1), "voice", 32000, 40000, null, 46, 1, 1, true),
                new FlowGrant(new FlowKey(1, 2), "voice", 1000, 2000, null, 46, 1, 1, true),
                new FlowGrant(new FlowKey(3, 3), "fps-game", 500000, 600000, 40, 34, null, 2, true));

        Avp asi = RxApplication.acceptableServiceInfo(grants);

        List<Avp> mcds = asi.children().stream().filter(a -> a.is(D.avp("Media-Component-Description"))).toList();
        assertThat(mcds).hasSize(2);
        assertThat(mcds.get(0).child(D.avp("Media-Component-Number")).unsigned32()).isEqualTo(1);
        assertThat(mcds.get(0).child(D.avp("Max-Requested-Bandwidth-UL")).unsigned32()).isEqualTo(33000);
        assertThat(mcds.get(0).child(D.avp("Max-Requested-Bandwidth-DL")).unsigned32()).isEqualTo(42000);
        assertThat(mcds.get(1).child(D.avp("Max-Requested-Bandwidth-DL")).unsigned32()).isEqualTo(600000);
        assertThat(asi.child(D.avp("Max-Requested-Bandwidth-UL")).unsigned32()).isEqualTo(533000);
    }

    @Test
    void bandwidthAboveUnsigned32IsClamped() {
        Avp asi = RxApplication.acceptableServiceInfo(List.of(new FlowGrant(new FlowKey(1, 1), "x", 10_000_000_000L, 1, null, 0, null, 1, false)));

        assertThat(asi.child(D.avp("Max-Requested-Bandwidth-UL")).unsigned32()).isEqualTo(0xFFFFFFFFL);
    }
}
