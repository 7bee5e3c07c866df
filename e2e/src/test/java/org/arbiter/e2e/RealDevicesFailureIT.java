package org.arbiter.e2e;

import static org.arbiter.e2e.CallAssertions.activeHolds;
import static org.arbiter.e2e.CallAssertions.assertCompleted;
import static org.arbiter.e2e.CallAssertions.assertPoolUse;
import static org.arbiter.e2e.RealDevices.HOLDS;
import static org.arbiter.e2e.RealDevices.LABEL_ID;
import static org.arbiter.e2e.RealDevices.NETCONF_DEVICE;
import static org.arbiter.e2e.RealDevices.SERVICE_CLASS_STATUS;
import static org.arbiter.e2e.RealDevices.expected;
import static org.arbiter.e2e.RealDevices.netconfAdapter;
import static org.arbiter.e2e.RealDevices.netconfRows;
import static org.arbiter.e2e.RealDevices.snmpAdapter;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arbiter.adapter.netconf.NetconfTestBed;
import org.arbiter.adapter.snmp.SnmpTestBed;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.engine.Enforcer;
import org.arbiter.core.engine.ReconcileReport;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.session.ResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A game call whose enforcement fails on one of two real devices ({@link RealDevices}: the lines
 * on a net-snmp snmpd, the BRAS on a yuma123 netconfd behind OpenSSH): the SNMP device is down,
 * the SNMP device refuses the SET, the NETCONF device stops answering. Arbiter must fail closed
 * (the AAR answered 5068 TEMPORARY_NETWORK_FAILURE, the caller refused with 488) and leave the
 * ledger and every device it can reach as if the call had never been asked for: no active hold,
 * no pool use, no row or entry of the session on a device, read back without the adapters
 * (snmpwalk, get-config over a NETCONF session of the OpenSSH client's own).
 *
 * <p>Every device call gets {@link #DEVICE_TIMEOUT}, so a failing AAR is answered well within the
 * P-CSCF's Diameter transaction timeout (5 s, cdp.xml).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RealDevicesFailureIT {

    private static final Duration DEVICE_TIMEOUT = Duration.ofSeconds(1);

    /** The test bed's small policer table (room for two rows): its reservation id column. */
    private static final String SMALL_POLICER_ID = SnmpTestBed.SMALL_POLICER + ".2";

    /** Kept when the test fails: the peers' logs, configurations and SIPp traces are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private SnmpTestBed snmpd;
    private NetconfTestBed netconfd;

    @BeforeEach
    void startDevices() throws Exception {
        snmpd = SnmpTestBed.start();
        netconfd = NetconfTestBed.start(NetconfTestBed.Target.CANDIDATE, false);
    }

    @AfterEach
    void stopDevices() throws Exception {
        try {
            if (snmpd != null) {
                snmpd.close();
            }
        } finally {
            if (netconfd != null) {
                netconfd.close();
            }
        }
    }

    @Test
    void aarFailsClosedWhenTheSnmpDeviceIsDownAndLeavesNothingOnTheNetconfDevice() throws Exception {
        // no agent listens on this port: every request to the SNMP device goes unanswered
        int nowhere = SnmpTestBed.freeUdpPort();
        DeviceAdapter snmp = snmpAdapter(SnmpTestBed.config(nowhere, "docsis-qos-service-class", SnmpTestBed.v3(SnmpTestBed.USER)));

        try (CallLab lab = CallLab.start(dir, RealDevices.arbiter(dir, snmp, netconf(), DEVICE_TIMEOUT))) {
            RxExchange aar = refusedCall(lab);

            assertNothingHeld(lab.arbiter(), aar);
            assertThat(netconfRows(netconfd)).as("reservations on netconfd").isEmpty();
        }
    }

    @Test
    void aarFailsClosedWhenTheSnmpDeviceRefusesTheSetAndLeavesNothingOnEitherDevice() throws Exception {
        // the small policer table has room for two rows; the call needs eight: snmpd takes two and
        // refuses the rest (resourceUnavailable), so the engine must take back what each device took
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.writeString(models.resolve("small-policer.yaml"), SnmpTestBed.SMALL_POLICER_MODEL);
        Map<String, Object> settings = new HashMap<>(SnmpTestBed.v3(SnmpTestBed.USER));
        settings.put("model-dir", models.toString());
        DeviceAdapter snmp = snmpAdapter(SnmpTestBed.config(snmpd.port(), "small-policer", settings));
        long setsBefore = snmpd.setRequests();

        try (CallLab lab = CallLab.start(dir, RealDevices.arbiter(dir, snmp, netconf(), DEVICE_TIMEOUT))) {
            RxExchange aar = refusedCall(lab);

            assertNothingHeld(lab.arbiter(), aar);
            // at least the refused SET and the SET that destroys the rows snmpd took
            assertThat(snmpd.setRequests() - setsBefore).as("SET requests snmpd received").isGreaterThanOrEqualTo(2);
            assertThat(snmpd.walk(SMALL_POLICER_ID)).as("small policer rows on snmpd").isEmpty();
            assertThat(netconfRows(netconfd)).as("reservations on netconfd").isEmpty();
        }
    }

    @Test
    void aarFailsClosedInTimeWhenTheNetconfDeviceStopsAnsweringAndReconcileRemovesWhatItAppliedLate() throws Exception {
        DeviceAdapter snmp = snmpAdapter(SnmpTestBed.config(snmpd.port(), "docsis-qos-service-class", SnmpTestBed.v3(SnmpTestBed.USER)));

        try (CallLab lab = CallLab.start(dir, RealDevices.arbiter(dir, snmp, netconf(), DEVICE_TIMEOUT))) {
            ArbiterUnderTest arbiter = lab.arbiter();
            RxExchange aar;
            // SIGSTOP: sshd still accepts, but netconfd answers no hello and no RPC
            netconfd.freezeDevice();
            try {
                aar = refusedCall(lab);
            } finally {
                netconfd.thawDevice();
            }

            // install and removal each wait for the NETCONF device's timeout; the SNMP device answers at once
            assertThat(aar.handling()).as("time the engine took to answer the AAR")
                    .isLessThan(DEVICE_TIMEOUT.multipliedBy(3).plusSeconds(1));
            assertNothingHeld(arbiter, aar);
            assertThat(snmpd.walk(SERVICE_CLASS_STATUS)).as("service class rows on snmpd").isEmpty();
            assertThat(snmpd.walk(LABEL_ID)).as("label rows on snmpd").isEmpty();

            // the install that timed out reaches the device after all: its reservations, applied late
            List<Hold> sessionHolds = arbiter.session(aar.sessionId()).map(SessionView::holds).orElseThrow();
            List<String> late = expected(sessionHolds, NETCONF_DEVICE);
            assertThat(late).as("the session's NETCONF reservations").hasSize(HOLDS / 2);
            applyLate(sessionHolds);
            assertThat(netconfRows(netconfd)).as("reservations on netconfd, applied late")
                    .containsExactlyInAnyOrderElementsOf(late);

            ReconcileReport report = arbiter.reconcile(NETCONF_DEVICE);

            assertThat(report.listed()).as("netconfd listed by reconcile: %s", report.detail()).isTrue();
            assertThat(report.removed()).as("orphans reconcile removed")
                    .containsExactlyInAnyOrderElementsOf(sessionHolds.stream()
                            .filter(h -> NETCONF_DEVICE.equals(h.deviceId())).map(Hold::reservationId).toList());
            assertThat(report.reapplied()).as("reservations reconcile re-applied").isEmpty();
            assertThat(netconfRows(netconfd)).as("reservations on netconfd after reconcile").isEmpty();
            assertThat(activeHolds(arbiter, aar.sessionId())).as("active holds of the session after reconcile").isEmpty();
        }
    }

    /** Arbiter's NETCONF adapter on netconfd, key authentication, host key verified. */
    private DeviceAdapter netconf() throws Exception {
        return netconfAdapter(netconfd.settings(netconfd.port()));
    }

    /**
     * One call whose callee answers early (183 with SDP); returns its AAR after asserting that it
     * was answered 5068, that the caller got 488 and no 200, and that the callee was cancelled.
     */
    private static RxExchange refusedCall(CallLab lab) throws Exception {
        ArbiterUnderTest arbiter = lab.arbiter();
        SippProcess callee = lab.callee("uas-early.xml", 1, 2000, 40, Duration.ofSeconds(30));
        SippProcess caller = lab.caller("uac-refused.xml", 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(20),
                Duration.ofSeconds(30));

        assertCompleted(caller, Duration.ofSeconds(40), 1, "the caller, refused with 488");
        assertThat(caller.messages()).contains("SIP/2.0 488").doesNotContain("SIP/2.0 200 OK");
        assertCompleted(callee, Duration.ofSeconds(30), 1, "the callee, cancelled after its 183");

        List<RxExchange> exchanges = arbiter.exchanges();
        assertThat(exchanges).hasSize(1);
        RxExchange aar = exchanges.getFirst();
        assertThat(aar.kind()).isEqualTo(RxExchange.Kind.AAR);
        assertThat(aar.code()).isEqualTo(ResultCode.TEMPORARY_NETWORK_FAILURE);
        return aar;
    }

    /** The ledger after a refused AAR: the session has no active hold and no pool is in use. */
    private static void assertNothingHeld(ArbiterUnderTest arbiter, RxExchange aar) {
        assertThat(arbiter.session(aar.sessionId())).as("the refused session in the ledger").isPresent();
        assertThat(activeHolds(arbiter, aar.sessionId())).as("active holds of the refused session").isEmpty();
        assertPoolUse(arbiter, Map.of());
    }

    /**
     * Applies the session's NETCONF reservations to netconfd as the install that timed out would
     * have, had the device processed it after its timeout: through an adapter of its own, not
     * Arbiter's, so that only reconcile can take them off again. Retried while netconfd still
     * winds up the sessions that timed out (their datastore lock).
     */
    private void applyLate(List<Hold> sessionHolds) throws Exception {
        List<DeviceReservation> late = sessionHolds.stream()
                .filter(h -> NETCONF_DEVICE.equals(h.deviceId())).map(Enforcer::reservationOf).toList();
        try (DeviceAdapter device = netconf()) {
            List<List<Outcome>> tries = new ArrayList<>();
            Poll.until(Duration.ofSeconds(20), "the late install applied on netconfd",
                    () -> tries.add(device.install(late, Duration.ofSeconds(5)))
                            && tries.getLast().stream().allMatch(o -> o.status().ok()),
                    tries::toString);
        }
    }
}
