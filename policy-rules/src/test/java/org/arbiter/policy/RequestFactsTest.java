package org.arbiter.policy;

import static org.arbiter.policy.Fixtures.flow;
import static org.arbiter.policy.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.arbiter.core.policy.PolicyRequest;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.qos.Modification;
import org.arbiter.core.qos.QosRequirement;
import org.arbiter.core.session.MediaType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The request model's values: the local time as java.time gives it, and the lists made on first read. */
class RequestFactsTest {

    private static final List<String> ZONES = List.of("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
            "Europe/Moscow", "America/Sao_Paulo", "Pacific/Apia", "UTC", "+05:30", "-09:45");

    private static RequestFacts facts(Instant at, ZoneId zone, FlowRequirement... flows) {
        PolicyRequest r = request("sip:dave@pro.example", null, "pcscf.example.net", at, flows);
        return new RequestFacts(r.request(), r.flows(), null, List.of(), null, zone);
    }

    private static String expectedTime(Instant at, ZoneId zone) {
        return at.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-27T13:00:00Z", "2026-11-27T13:05:59.999999999Z", "1969-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
        "0999-06-01T09:09:00Z", "0000-03-01T12:00:00Z", "-0001-12-31T23:00:00Z", "9999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z",
        "+999999999-12-31T00:00:00Z", "-999999999-01-01T12:00:00Z", "2026-03-29T00:59:59.999Z", "2026-03-29T01:00:00Z"})
    void theTimeIsWrittenAsTheLocalDateTimeToTheMinute(String instant) {
        Instant at = Instant.parse(instant);
        for (String z : ZONES) {
            ZoneId zone = ZoneId.of(z);
            RequestFacts f = facts(at, zone);
            ZonedDateTime local = at.atZone(zone);
            assertThat(f.appendTime(new StringBuilder("time "))).as("%s in %s", at, zone).hasToString("time " + expectedTime(at, zone));
            assertThat(f.find(Conditions.TIME_HOUR)).contains((long) local.getHour());
            assertThat(f.find(Conditions.TIME_MINUTE)).contains((long) local.getMinute());
            assertThat(f.find(Conditions.TIME_WEEKDAY)).contains((long) local.getDayOfWeek().getValue());
        }
    }

    @Test
    void anInstantBeyondTheLocalDatesFailsAsJavaTimeDoes() {
        Instant at = Instant.MAX;
        ZoneId zone = ZoneId.of("Europe/Berlin");
        assertThatThrownBy(() -> at.atZone(zone)).isInstanceOf(DateTimeException.class);
        String message = catchMessage(() -> at.atZone(zone));
        assertThatThrownBy(() -> facts(at, zone)).isInstanceOf(DateTimeException.class).hasMessage(message);
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
            throw new AssertionError("did not throw");
        } catch (DateTimeException e) {
            return e.getMessage();
        }
    }

    @Test
    void theOffsetKeptForASpanIsTheZonesAroundEveryTransitionInAnyOrder() {
        for (String z : ZONES) {
            ZoneId zone = ZoneId.of(z);
            PolicySet set = Fixtures.set(Fixtures.RULES, z);
            ZoneRules rules = zone.getRules();
            List<Instant> instants = new ArrayList<>();
            Instant t = Instant.parse("1900-01-01T00:00:00Z");
            for (int i = 0; i < 400; i++) {
                ZoneOffsetTransition next = rules.nextTransition(t);
                if (next == null || next.getInstant().isAfter(Instant.parse("2060-01-01T00:00:00Z"))) {
                    break;
                }
                Instant at = next.getInstant();
                instants.addAll(List.of(at.minusSeconds(1), at.minusNanos(1), at, at.plusNanos(1), at.plusSeconds(1), at.plusSeconds(3600)));
                t = at;
            }
            instants.addAll(List.of(Instant.MIN, Instant.MAX, Instant.EPOCH, Instant.parse("2026-11-27T13:00:00Z")));
            List<Instant> backwards = new ArrayList<>(instants);
            Collections.reverse(backwards);
            List<Instant> shuffled = new ArrayList<>(instants);
            Collections.shuffle(shuffled, new Random(7));
            for (List<Instant> order : List.of(instants, backwards, shuffled, instants)) {
                for (Instant at : order) {
                    assertThat(set.offsetSeconds(at)).as("%s in %s", at, zone).isEqualTo(rules.getOffset(at).getTotalSeconds());
                }
            }
        }
    }

    @Test
    void theClassesOfTheRequestAreEachListedOnceInTheOrderOfTheFlows() {
        RequestFacts f = facts(Fixtures.AFTERNOON, ZoneId.of("UTC"), flow(1, MediaType.AUDIO, "voice", 1, 1, null),
                flow(2, MediaType.APPLICATION, null, 1, 1, null), flow(3, MediaType.APPLICATION, "fps-game", 1, 1, null),
                flow(4, MediaType.AUDIO, "voice", 1, 1, null));
        assertThat(f.find(Conditions.REQUEST_CLASSES)).contains(List.of("voice", "fps-game"));
        assertThat(f.classes()).isSameAs(f.classes());
    }

    @Test
    void theModificationsFollowTheFlowAtHand() {
        FlowRequirement changed = new FlowRequirement(new FlowKey(1, 1), MediaType.APPLICATION, null, null,
                QosRequirement.ofBandwidth(1), QosRequirement.ofBandwidth(1), null, null,
                Set.of(Modification.CLASS_CHANGED, Modification.BANDWIDTH_LOWER));
        FlowRequirement plain = flow(2, MediaType.AUDIO, null, 1, 1, null);
        RequestFacts f = facts(Fixtures.AFTERNOON, ZoneId.of("UTC"), changed, plain);
        assertThat(f.modifications()).as("before any flow").isEmpty();
        f.flow(changed, 1, 1);
        assertThat(f.find(Conditions.FLOW_MODIFICATIONS)).contains(List.of("BANDWIDTH_LOWER", "CLASS_CHANGED"));
        f.flow(plain, 1, 1);
        assertThat(f.find(Conditions.FLOW_MODIFICATIONS)).contains(List.of());
        f.flow(changed, 1, 1);
        assertThat(f.modifications()).containsExactly("BANDWIDTH_LOWER", "CLASS_CHANGED");
    }
}
