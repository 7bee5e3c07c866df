package org.arbiter.adapter.netconf;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The conformance kit against netconfd with --target=running. */
class NetconfRunningDeviceContractIT extends NetconfDeviceContractIT {

    private static NetconfTestBed bed;

    @BeforeAll
    static void startDevice() throws Exception {
        bed = NetconfTestBed.start(NetconfTestBed.Target.RUNNING, false);
    }

    @AfterAll
    static void stopDevice() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Override
    NetconfTestBed bed() {
        return bed;
    }
}
