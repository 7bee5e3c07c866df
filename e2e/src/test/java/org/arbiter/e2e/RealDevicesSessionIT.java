package org.arbiter.e2e;

import static org.arbiter.e2e.CallAssertions.activeHolds;
import static org.arbiter.e2e.CallAssertions.assertCompleted;
import static org.arbiter.e2e.CallAssertions.assertPoolUse;
import static org.arbiter.e2e.RealDevices.BRAS_POOL;
import static org.arbiter.e2e.RealDevices.CALLEE_LINE;
import static org.arbiter.e2e.RealDevices.CALLER_LINE;
import static org.arbiter.e2e.RealDevices.CALL_BPS;
import static org.arbiter.e2e.RealDevices.HOLDS;
import static org.arbiter.e2e.RealDevices.LABEL_ID;
import static org.arbiter.e2e.RealDevices.NETCONF_DEVICE;
import static org.arbiter.e2e.RealDevices.SERVICE_CLASS_MAX_RATE;
import static org.arbiter.e2e.RealDevices.SERVICE_CLASS_STATUS;
import static org.arbiter.e2e.RealDevices.SNMP_DEVICE;
import static org.arbiter.e2e.RealDevices.expected;
import static org.arbiter.e2e.RealDevices.netconfAdapter;
import static org.arbiter.e2e.RealDevices.snmpAdapter;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arbiter.adapter.netconf.NetconfTestBed;
import org.arbiter.adapter.snmp.SnmpTestBed;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.TerminationCause;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A game call's session enforced on real devices: the P-CSCF (Kamailio, ims_qos) asks Arbiter over
 * Diameter Rx, and Arbiter enforces the reservations with its SNMP adapter on a net-snmp snmpd
 * (SNMPv3 authPriv, SHA-256/AES-128; the DOCSIS service-class model) and with its NETCONF adapter
 * on a yuma123 netconfd behind OpenSSH (key authentication, host key verified; the arbiter-qos
 * model). Both devices are the adapters' own test beds.
 *
 * <p>The access network is {@link RealDevices}': each party's path has two pools, one on each
 * device. What the devices hold is read without the adapters: snmpwalk (v2c, read-only community)
 * of the service-class table and its label table, and get-config over a NETCONF session of the
 * OpenSSH client's own.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RealDevicesSessionIT {

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

    /** Arbiter enforcing on both devices; it closes the adapters with itself (here, when it cannot start). */
    private ArbiterUnderTest arbiter(DeviceAdapter netconf) {
        DeviceAdapter snmp;
        try {
            snmp = snmpAdapter(SnmpTestBed.config(snmpd.port(), "docsis-qos-service-class", SnmpTestBed.v3(SnmpTestBed.USER)));
        } catch (RuntimeException e) {
            netconf.close();
            throw e;
        }
        return RealDevices.arbiter(dir, snmp, netconf, InProcessArbiter.DEVICE_TIMEOUT);
    }

    @Test
    void sessionIsOnTheSnmpAndNetconfDevicesWhileUpAndOffBothAfterItsStr() throws Exception {
        try (CallLab lab = CallLab.start(dir, arbiter(netconfAdapter(netconfd.settings(netconfd.port()))))) {
            ArbiterUnderTest arbiter = lab.arbiter();
            SippProcess callee = lab.callee("uas-answer.xml", 1, 2000, 40, Duration.ofSeconds(40));
            // held 8 s: the device side is read while the call is up
            SippProcess caller = lab.caller("uac-call.xml", 1, 1, Duration.ofSeconds(8), Duration.ofSeconds(15),
                    Duration.ofSeconds(40));

            arbiter.awaitExchanges(Duration.ofSeconds(20), "the AAR", ex -> !ex.isEmpty());
            RxExchange aar = arbiter.exchanges().getFirst();
            assertThat(aar.kind()).isEqualTo(RxExchange.Kind.AAR);
            assertThat(aar.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
            List<Hold> holds = activeHolds(arbiter, aar.sessionId());
            assertThat(holds).hasSize(HOLDS);
            assertPoolUse(arbiter, Map.of(CALLER_LINE, CALL_BPS, CALLEE_LINE, CALL_BPS, BRAS_POOL, 2 * CALL_BPS));

            assertThat(snmpRows()).as("service classes on snmpd (reservation id=MaxTrafficRate), read with snmpwalk")
                    .hasSize(HOLDS / 2)
                    .containsExactlyInAnyOrderElementsOf(expected(holds, SNMP_DEVICE));
            assertThat(netconfRows()).as("reservations in netconfd's running datastore (id=rate-bps), read with get-config")
                    .hasSize(HOLDS / 2)
                    .containsExactlyInAnyOrderElementsOf(expected(holds, NETCONF_DEVICE));

            assertCompleted(caller, Duration.ofSeconds(40), 1, "the caller");
            assertCompleted(callee, Duration.ofSeconds(30), 1, "the callee");
            arbiter.awaitExchanges(Duration.ofSeconds(15), "the STR", ex -> ex.size() == 2);
            RxExchange str = arbiter.exchanges().get(1);
            assertThat(str.kind()).isEqualTo(RxExchange.Kind.STR);
            assertThat(str.sessionId()).isEqualTo(aar.sessionId());
            assertThat(str.cause()).isEqualTo(TerminationCause.DIAMETER_LOGOUT);
            assertThat(str.code()).isEqualTo(ResultCode.DIAMETER_SUCCESS);
            assertThat(activeHolds(arbiter, aar.sessionId())).isEmpty();
            assertPoolUse(arbiter, Map.of());

            assertThat(snmpd.walk(SERVICE_CLASS_STATUS)).as("service class rows on snmpd after the STR").isEmpty();
            assertThat(snmpd.walk(LABEL_ID)).as("label rows on snmpd after the STR").isEmpty();
            assertThat(netconfRows()).as("reservations on netconfd after the STR").isEmpty();
        }
    }

    @Test
    void aarFailsClosedWhenTheNetconfDeviceRefusesArbiterAndLeavesNothingOnTheSnmpDevice() throws Exception {
        // the device's sshd admits only the bed's key: a password is refused
        Map<String, Object> refused = netconfd.settings(netconfd.port());
        refused.remove("private-key");
        refused.put("password", "not-the-password");
        long setsBefore = snmpd.setRequests();
        try (CallLab lab = CallLab.start(dir, arbiter(netconfAdapter(refused)))) {
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
            assertThat(activeHolds(arbiter, aar.sessionId())).as("active holds of the refused session").isEmpty();
            assertPoolUse(arbiter, Map.of());

            // the SNMP device took its half of the session (SET createAndGo) and gave it back (SET destroy)
            assertThat(snmpd.setRequests() - setsBefore).as("SET requests snmpd received").isGreaterThanOrEqualTo(2);
            assertThat(snmpd.walk(SERVICE_CLASS_STATUS)).as("service class rows on snmpd").isEmpty();
            assertThat(snmpd.walk(LABEL_ID)).as("label rows on snmpd").isEmpty();
            assertThat(netconfRows()).as("reservations on netconfd").isEmpty();
        }
    }

    private List<String> snmpRows() throws Exception {
        return snmpd.rows(LABEL_ID, SERVICE_CLASS_MAX_RATE, 1).stream().map(r -> r[0] + "=" + r[1]).toList();
    }

    private List<String> netconfRows() throws Exception {
        return RealDevices.netconfRows(netconfd);
    }
}
