package org.arbiter.core.qos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.arbiter.core.session.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TreatmentTableTest {

    private static final TreatmentTable TABLE = TreatmentTable.builtIn();

    @ParameterizedTest(name = "{0}/{1} -> {2} DSCP {3} QCI {4}")
    @CsvSource({
        "voice, AUDIO, voice, 46, 1",
        ", AUDIO, voice, 46, 1",
        ", VIDEO, video, 34, 2",
        "fps-game, APPLICATION, fps-game, 32, 3",
        "fps-game-raw, APPLICATION, fps-game-raw, 32, 3",
        "game, APPLICATION, game, 32, 3",
        "streaming, VIDEO, streaming, 26, 4",
        ", CONTROL, signalling, 40, 5",
        ", APPLICATION, best-effort, 0, 9",
        ", TEXT, best-effort, 0, 9",
    })
    void builtInTableGivesTheDocumentedTreatment(String cls, MediaType type, String expected, int dscp, int qci) {
        TreatmentTable.Match m = TABLE.classify(cls, type);

        assertThat(m.sessionClass()).isEqualTo(expected);
        assertThat(m.trafficClass().dscp()).isEqualTo(dscp);
        assertThat(m.trafficClass().qci()).isEqualTo(qci);
    }

    @Test
    void sessionClassWinsOverTheMediaType() {
        assertThat(TABLE.classify("fps-game", MediaType.AUDIO).basis()).isEqualTo("qos-class fps-game");
    }

    @Test
    void unknownClassFallsBackToTheMediaTypeAndSaysSo() {
        TreatmentTable.Match m = TABLE.classify("chess", MediaType.AUDIO);

        assertThat(m.sessionClass()).isEqualTo("voice");
        assertThat(m.basis()).isEqualTo("media type audio (qos-class chess is not in the table)");
    }

    @Test
    void classLookupIgnoresCase() {
        assertThat(TABLE.classify("FPS-GAME", null).sessionClass()).isEqualTo("fps-game");
    }

    @Test
    void policyMayAddAClassAndMapAMediaTypeToIt() {
        TreatmentTable t = TABLE.withClass("racing", new TrafficClass(46, 3, 2)).withMediaType(MediaType.APPLICATION, "racing");

        assertThat(t.classify(null, MediaType.APPLICATION).trafficClass()).isEqualTo(new TrafficClass(46, 3, 2));
    }

    @Test
    void mediaTypeMappedToAnUndefinedClassIsRefusedWithTheKey() {
        assertThatThrownBy(() -> TABLE.withMediaType(MediaType.TEXT, "real-time-text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("treatments.media-types.text = 'real-time-text' is not a class of the table");
    }

    @Test
    void defaultClassMustBeDefined() {
        assertThatThrownBy(() -> new TreatmentTable(Map.of("voice", new TrafficClass(46, 1, 2)), Map.of(), "bulk"))
                .hasMessage("treatments.default = 'bulk' is not a class of the table [voice]");
    }

    @Test
    void dscpOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new TrafficClass(64, 1, 1)).hasMessage("dscp = 64; a DSCP is 0..63");
    }

    @Test
    void qciOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new TrafficClass(0, 0, 1)).hasMessageContaining("a QCI is 1..255");
    }

    @Test
    void priorityOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new TrafficClass(0, 9, 16)).hasMessageContaining("1 (highest) .. 15");
    }

    @ParameterizedTest(name = "DSCP {0} is {1}")
    @CsvSource({"0, BE", "46, EF", "44, VOICE-ADMIT", "32, CS4", "40, CS5", "34, AF41", "26, AF31", "18, AF21",
        "14, AF13", "33, DSCP 33"})
    void codePointsHaveTheirPerHopBehaviourNames(int dscp, String phb) {
        assertThat(new TrafficClass(dscp, null, 1).phb()).isEqualTo(phb);
    }
}
