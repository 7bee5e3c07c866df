package org.arbiter.adapter.snmp;

import org.arbiter.core.adapter.AdapterConfig;

/**
 * The SNMP adapter passes the conformance kit against a real net-snmp snmpd over SNMPv2c with the
 * DiffServ-style policer model (hash index, createAndWait then active).
 */
class SnmpV2cDeviceContractIT extends SnmpContract {

    @Override
    protected AdapterConfig config(int port) {
        return SnmpTestBed.config(port, "diffserv-policer", SnmpTestBed.v2c(SnmpTestBed.RW));
    }

    @Override
    protected String idColumn() {
        return SnmpTestBed.POLICER_ID;
    }

    @Override
    protected String rateColumn() {
        return SnmpTestBed.POLICER_RATE_KBPS;
    }

    @Override
    protected long rateUnitBps() {
        return 1000;
    }
}
