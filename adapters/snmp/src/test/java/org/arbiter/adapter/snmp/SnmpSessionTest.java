package org.arbiter.adapter.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.arbiter.core.adapter.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snmp4j.PDU;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.VariableBinding;

/** Mapping of SNMP error-status values and reports to outcomes; no I/O. */
class SnmpSessionTest {

    static Stream<Arguments> errorStatuses() {
        return Stream.of(
                Arguments.of(PDU.noError, "noError", OutcomeStatus.APPLIED),
                Arguments.of(PDU.tooBig, "tooBig", OutcomeStatus.REJECTED),
                Arguments.of(PDU.noSuchName, "noSuchName", OutcomeStatus.REJECTED),
                Arguments.of(PDU.badValue, "badValue", OutcomeStatus.REJECTED),
                Arguments.of(PDU.readOnly, "readOnly", OutcomeStatus.REJECTED),
                Arguments.of(PDU.genErr, "genErr", OutcomeStatus.FAILED),
                Arguments.of(PDU.noAccess, "noAccess", OutcomeStatus.REJECTED),
                Arguments.of(PDU.wrongType, "wrongType", OutcomeStatus.REJECTED),
                Arguments.of(PDU.wrongLength, "wrongLength", OutcomeStatus.REJECTED),
                Arguments.of(PDU.wrongEncoding, "wrongEncoding", OutcomeStatus.REJECTED),
                Arguments.of(PDU.wrongValue, "wrongValue", OutcomeStatus.REJECTED),
                Arguments.of(PDU.noCreation, "noCreation", OutcomeStatus.REJECTED),
                Arguments.of(PDU.inconsistentValue, "inconsistentValue", OutcomeStatus.REJECTED),
                Arguments.of(PDU.resourceUnavailable, "resourceUnavailable", OutcomeStatus.REJECTED),
                Arguments.of(PDU.commitFailed, "commitFailed", OutcomeStatus.FAILED),
                Arguments.of(PDU.undoFailed, "undoFailed", OutcomeStatus.FAILED),
                Arguments.of(PDU.authorizationError, "authorizationError", OutcomeStatus.REJECTED),
                Arguments.of(PDU.notWritable, "notWritable", OutcomeStatus.REJECTED),
                Arguments.of(PDU.inconsistentName, "inconsistentName", OutcomeStatus.REJECTED),
                Arguments.of(42, "error-status 42", OutcomeStatus.FAILED));
    }

    @ParameterizedTest(name = "{1} -> {2}")
    @MethodSource("errorStatuses")
    void everyErrorStatusHasItsNameAndOutcome(int status, String name, OutcomeStatus outcome) {
        assertThat(SnmpSession.errorName(status)).isEqualTo(name);
        assertThat(SnmpSession.outcomeOf(status)).isEqualTo(outcome);
    }

    private static PDU report(OID counter) {
        PDU pdu = new PDU();
        pdu.setType(PDU.REPORT);
        pdu.add(new VariableBinding(new OID(counter).append(0), new Counter32(1)));
        return pdu;
    }

    @Test
    void reportIsNamedForItsCounter() {
        assertThat(SnmpSession.report(report(SnmpConstants.usmStatsWrongDigests)))
                .isEqualTo("usmStatsWrongDigests (authentication failure)");
        assertThat(SnmpSession.report(report(SnmpConstants.usmStatsUnknownUserNames)))
                .isEqualTo("usmStatsUnknownUserNames (unknown user)");
    }

    @Test
    void reportOfAnUnknownCounterShowsItsOid() {
        assertThat(SnmpSession.report(report(new OID("1.3.6.1.4.1.99.1")))).isEqualTo("1.3.6.1.4.1.99.1.0");
    }

    @Test
    void authenticationReportsEndTheRequestButTimeSyncReportsDoNot() {
        assertThat(SnmpSession.endsRequest(new OID(SnmpConstants.usmStatsWrongDigests).append(0))).isTrue();
        assertThat(SnmpSession.endsRequest(new OID(SnmpConstants.usmStatsUnsupportedSecLevels).append(0))).isTrue();
        assertThat(SnmpSession.endsRequest(new OID(SnmpConstants.usmStatsNotInTimeWindows).append(0))).isFalse();
        assertThat(SnmpSession.endsRequest(new OID(SnmpConstants.usmStatsUnknownEngineIDs).append(0))).isFalse();
    }
}
