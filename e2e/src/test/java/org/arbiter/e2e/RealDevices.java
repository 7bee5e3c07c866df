package org.arbiter.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.arbiter.adapter.netconf.NetconfAdapterProvider;
import org.arbiter.adapter.netconf.NetconfTestBed;
import org.arbiter.adapter.snmp.SnmpAdapterProvider;
import org.arbiter.adapter.snmp.SnmpTestBed;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.Topology;

/**
 * The access network of the real-device tests ({@link RealDevicesSessionIT},
 * {@link RealDevicesFailureIT}): its topology, the adapters Arbiter enforces it with, and how the
 * devices are read back without them.
 *
 * <pre>
 *   bras-1 (10 Gbit/s, enforced by the NETCONF device)  <- line-caller 127.0.0.1/32 (SNMP device)
 *                                                        <- line-callee 127.0.0.2/32 (SNMP device)
 * </pre>
 *
 * Each party's path has two pools, one on each device.
 */
final class RealDevices {

    static final String SNMP_DEVICE = "cmts-snmp";
    static final String NETCONF_DEVICE = "bras-netconf";
    static final String BRAS_POOL = "bras-1";
    static final String CALLER_LINE = "line-caller";
    static final String CALLEE_LINE = "line-callee";
    static final long MBIT = 1_000_000;
    /** What the call holds per pool and direction: audio 64 kbit/s plus the game's 2 Mbit/s. */
    static final long CALL_BPS = 64_000 + 2_000_000;
    /** Holds of the call: 2 flows x 2 directions x 2 parties x 2 pools per party's path. */
    static final int HOLDS = 2 * 2 * 2 * 2;

    /** docsIetfQosServiceClassTable (DOCS-IETF-QOS-MIB): RowStatus and MaxTrafficRate (bit/s) columns. */
    static final String SERVICE_CLASS_STATUS = SnmpTestBed.SERVICE_CLASS_STATUS;
    static final String SERVICE_CLASS_MAX_RATE = SnmpTestBed.SERVICE_CLASS_MAX_RATE;
    /** The label table's reservation id column (same index as the service class). */
    static final String LABEL_ID = SnmpTestBed.LABEL_ID;

    private RealDevices() {}

    static Topology topology() {
        return Topology.of(List.of(
                new PoolSpec(BRAS_POOL, null, 10_000 * MBIT, 10_000 * MBIT, 1.0, NETCONF_DEVICE),
                new PoolSpec(CALLER_LINE, BRAS_POOL, 100 * MBIT, 100 * MBIT, 1.0, SNMP_DEVICE),
                new PoolSpec(CALLEE_LINE, BRAS_POOL, 100 * MBIT, 100 * MBIT, 1.0, SNMP_DEVICE)),
                List.of(new Attachment(IpPrefix.parse("127.0.0.1/32"), CALLER_LINE),
                        new Attachment(IpPrefix.parse("127.0.0.2/32"), CALLEE_LINE)));
    }

    /** The SNMP adapter of {@link #SNMP_DEVICE} on {@code bed}'s settings (an SnmpTestBed config). */
    static DeviceAdapter snmpAdapter(AdapterConfig bed) {
        return new SnmpAdapterProvider().create(new AdapterConfig(SNMP_DEVICE, "devices[0].settings", bed.settings()));
    }

    /** The NETCONF adapter of {@link #NETCONF_DEVICE} on {@code settings} (a NetconfTestBed's). */
    static DeviceAdapter netconfAdapter(Map<String, Object> settings) {
        return new NetconfAdapterProvider().create(new AdapterConfig(NETCONF_DEVICE, "devices[1].settings", settings));
    }

    /**
     * Arbiter on {@link #topology()}, enforcing with {@code snmp} and {@code netconf}, each device
     * call given {@code deviceTimeout}; it closes the adapters with itself (here, when it cannot start).
     */
    static ArbiterUnderTest arbiter(Path dir, DeviceAdapter snmp, DeviceAdapter netconf, Duration deviceTimeout) {
        try {
            return ArbiterUnderTest.start(dir.resolve("arbiter"), topology(),
                    Map.of(SNMP_DEVICE, snmp, NETCONF_DEVICE, netconf), deviceTimeout);
        } catch (RuntimeException e) {
            netconf.close();
            snmp.close();
            throw e;
        }
    }

    /** The reservations a device must hold for {@code holds}: "reservation id=rate in bit/s". */
    static List<String> expected(List<Hold> holds, String device) {
        return holds.stream().filter(h -> device.equals(h.deviceId()))
                .map(h -> h.reservationId() + "=" + h.bandwidthBps()).toList();
    }

    /** The running datastore's reservations as "reservation id=rate-bps", read with get-config. */
    static List<String> netconfRows(NetconfTestBed netconfd) throws Exception {
        return netconfd.qosRows().stream().map(r -> r[0] + "=" + r[1]).toList();
    }
}
