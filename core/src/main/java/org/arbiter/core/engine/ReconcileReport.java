package org.arbiter.core.engine;

import java.util.List;

/**
 * What one reconcile pass of one device found and did.
 *
 * @param deviceId the device
 * @param listed whether the device could be listed (nothing else is meaningful when false)
 * @param reapplied reservation ids the ledger has and the device lacked, applied again
 * @param removed reservation ids the device had and the ledger does not, removed
 * @param lost reservation ids that could not be re-applied (their sessions were aborted)
 * @param detail why listing failed, or empty
 */
public record ReconcileReport(String deviceId, boolean listed, List<String> reapplied, List<String> removed,
                              List<String> lost, String detail) {
    public ReconcileReport {
        reapplied = List.copyOf(reapplied);
        removed = List.copyOf(removed);
        lost = List.copyOf(lost);
    }
}
