package org.arbiter.ledger;

import static org.arbiter.ledger.LedgerFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.ledger.InMemoryLedger;
import org.arbiter.core.ledger.Ledger;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionRelease;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.Test;

/**
 * Runs the same random sequence of requests on core's reference {@link InMemoryLedger} and on the
 * JDBC ledger, and compares every answer and the pools after every step. Requests share one
 * time, with reserve and authorization ending together, where the two are meant to agree (the
 * JDBC ledger moves a committed hold's expiry to the authorization end; the reference keeps the
 * reserve timer).
 */
class InMemoryEquivalenceIT {

    private static final String[] ADDRESSES = {"10.0.0.5", "10.0.1.5", "2001:db8:1::5", "10.2.3.4", "10.2.7.7"};

    @Test
    void theJdbcLedgerAnswersLikeTheReferenceLedger() {
        InMemoryLedger reference = new InMemoryLedger(LedgerFixtures.smallTopology());
        try (JdbcLedger jdbc = JdbcLedger.open(LedgerConfig.of("jdbc:h2:mem:equivalence", "arbiter", ""))) {
            jdbc.applyTopology(LedgerFixtures.smallTopology(), false);
            Random rnd = new Random(20300101);
            Instant end = T0.plus(Duration.ofMinutes(5));
            Map<String, AdmissionRequest> last = new java.util.HashMap<>();
            java.util.Set<Admission.Status> seen = java.util.EnumSet.noneOf(Admission.Status.class);
            for (int step = 0; step < 250; step++) {
                String sid = "s" + rnd.nextInt(12);
                int op = rnd.nextInt(10);
                String at = "step " + step + " (" + sid + ", op " + op + ")";
                if (op < 6) {
                    AdmissionRequest r = op == 5 && last.containsKey(sid) ? last.get(sid)
                            : new AdmissionRequest(sid, "pcscf", "sub", "icid", LedgerFixtures.accept("r"),
                                    randomHolds(rnd, reference), T0, end, end);
                    last.put(sid, r);
                    Admission want = reference.admit(r);
                    Admission got = jdbc.admit(r);
                    seen.add(want.status());
                    assertThat(got.status()).as(at).isEqualTo(want.status());
                    assertThat(got.shortfalls()).as(at).isEqualTo(want.shortfalls());
                    assertThat(comparable(got.holds())).as(at).isEqualTo(comparable(want.holds()));
                } else if (op < 8) {
                    assertThat(jdbc.commit(sid, T0)).as(at).isEqualTo(reference.commit(sid, T0));
                } else {
                    Optional<SessionRelease> want = reference.release(sid, TerminationCause.DIAMETER_LOGOUT, T0);
                    Optional<SessionRelease> got = jdbc.release(sid, TerminationCause.DIAMETER_LOGOUT, T0);
                    assertThat(got.isPresent()).as(at).isEqualTo(want.isPresent());
                    got.ifPresent(g -> assertThat(comparable(g.holds())).as(at).isEqualTo(comparable(want.get().holds())));
                }
                assertThat(usage(jdbc)).as(at).isEqualTo(usage(reference));
            }
            assertThat(seen).as("the sequence must reach every admission outcome").containsExactlyInAnyOrder(
                    Admission.Status.values());
            List<String> wantEnded = reference.expire(end, 1000).stream()
                    .map(r -> r.sessionId() + " " + r.record().cause()).sorted().toList();
            List<String> gotEnded = jdbc.expire(end, 1000).stream()
                    .map(r -> r.sessionId() + " " + r.record().cause()).sorted().toList();
            assertThat(gotEnded).isEqualTo(wantEnded);
            assertThat(usage(jdbc)).isEqualTo(usage(reference));
        }
    }

    private static List<HoldRequest> randomHolds(Random rnd, Ledger ledger) {
        List<HoldRequest> out = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            AccessPath p = ledger.resolve(ADDRESSES[rnd.nextInt(ADDRESSES.length)]).orElseThrow();
            Direction d = rnd.nextBoolean() ? Direction.UPLINK : Direction.DOWNLINK;
            out.add(new HoldRequest(new FlowKey(1 + rnd.nextInt(2), 0), d, p, 100_000L * (1 + rnd.nextInt(12)),
                    rnd.nextInt(3) == 0 ? 34 : 46, null));
        }
        return out;
    }

    /** Holds without ledger-specific ids and timers, in a stable order. */
    private static List<String> comparable(List<Hold> holds) {
        return holds.stream().sorted(Comparator.comparing(Hold::reservationId))
                .map(h -> h.reservationId() + " " + h.bandwidthBps() + " dscp " + h.dscp() + " " + h.state() + " on "
                        + h.deviceId())
                .toList();
    }

    private static Map<String, String> usage(Ledger l) {
        Map<String, String> out = new TreeMap<>();
        for (PoolUsage u : l.pools()) {
            out.put(u.pool().id(), u.usedUplinkBps() + "/" + u.usedDownlinkBps());
        }
        return out;
    }
}
