package org.arbiter.adapter.tck;

import java.util.List;
import java.util.Objects;

/**
 * Reads a device directly, bypassing the adapter under test: the SNMP table through the net-snmp
 * command line tools, the lab device's rows through its own accessor, and so on. The contract uses
 * it, when a test supplies one, to check that what the adapter reports matches what the device
 * holds.
 *
 * <p><b>Threading.</b> Called from the test thread only.
 */
@FunctionalInterface
public interface DeviceProbe {

    /**
     * Every row the device holds for reservations, one element per row (a duplicated row shows
     * twice).
     *
     * @throws Exception when the device cannot be read; the test then fails
     */
    List<Row> rows() throws Exception;

    /**
     * One row as the device holds it.
     *
     * @param reservationId the reservation id the row belongs to
     * @param rateBps the guaranteed rate the row enforces, bit/s
     */
    record Row(String reservationId, long rateBps) {
        public Row {
            Objects.requireNonNull(reservationId, "reservationId");
        }
    }
}
