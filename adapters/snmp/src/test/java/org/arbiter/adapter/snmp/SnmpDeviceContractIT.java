package org.arbiter.adapter.snmp;

import org.arbiter.core.adapter.AdapterConfig;

/**
 * The SNMP adapter passes the conformance kit against a real net-snmp snmpd over SNMPv3 authPriv
 * (HMAC-SHA-256 / AES-128) with the DOCSIS service-class model.
 */
class SnmpDeviceContractIT extends SnmpContract {

    @Override
    protected AdapterConfig config(int port) {
        return SnmpTestBed.config(port, "docsis-qos-service-class", SnmpTestBed.v3(SnmpTestBed.USER));
    }

    @Override
    protected String idColumn() {
        return SnmpTestBed.LABEL_ID;
    }

    @Override
    protected String rateColumn() {
        return SnmpTestBed.SERVICE_CLASS_MIN_RATE;
    }

    @Override
    protected long rateUnitBps() {
        return 1;
    }
}
