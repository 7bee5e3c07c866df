package org.arbiter.core.adapter;

import java.time.Duration;
import java.util.List;

/**
 * SPI: enforces reservations on one device.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>{@link #install} is an upsert per reservation id: an identical reservation already present
 *       gives {@link OutcomeStatus#ALREADY_PRESENT}; one with other parameters is replaced
 *       ({@link OutcomeStatus#APPLIED}). A batch may be sent in one device round trip; the result
 *       has one outcome per reservation, in order.</li>
 *   <li>{@link #remove} of an unknown id gives {@link OutcomeStatus#NOT_FOUND}.</li>
 *   <li>No method throws for a device fault: an unreachable, slow or refusing device gives a typed
 *       outcome. Every call returns within its timeout (plus a small scheduling margin), giving
 *       {@link OutcomeStatus#TIMEOUT} when the device is late.</li>
 *   <li>{@link #close()} frees every socket and thread the adapter started.</li>
 * </ul>
 *
 * <p><b>Threading.</b> Implementations are thread-safe; the engine calls them concurrently.
 */
public interface DeviceAdapter extends AutoCloseable {

    /** The device id this adapter serves. */
    String deviceId();

    /** Applies the reservations; one outcome per reservation, in order. */
    List<Outcome> install(List<DeviceReservation> batch, Duration timeout);

    /** Removes the reservations by id; one outcome per id, in order. */
    List<Outcome> remove(List<String> reservationIds, Duration timeout);

    /** Lists what the device holds (that this server put there). */
    DeviceListing list(Duration timeout);

    /** Checks the device. */
    DeviceHealth health(Duration timeout);

    @Override
    void close();
}
