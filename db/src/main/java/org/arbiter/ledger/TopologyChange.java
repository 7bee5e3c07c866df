package org.arbiter.ledger;

import java.util.List;

/**
 * What {@link JdbcLedger#applyTopology} changed. Ids and prefixes are sorted.
 *
 * @param version the topology version after the change (unchanged when nothing changed)
 * @param poolsAdded pools that did not exist
 * @param poolsChanged pools whose parent, capacity, fraction or device changed
 * @param poolsRemoved pools deleted (no active holds)
 * @param poolsRetired pools removed from the topology but kept, with capacity 0, because active
 *     holds still use them (only with {@code force}); they are deleted by a later apply once idle
 * @param attachmentsAdded prefixes attached anew
 * @param attachmentsChanged prefixes now attached to another pool
 * @param attachmentsRemoved prefixes no longer attached
 * @param overbooked pools left below their current use (only with {@code force})
 * @param holdsMoved active holds whose enforcing device changed with their pool's device (reconcile
 *     installs them on the new device and removes them from the old one)
 */
public record TopologyChange(
        long version,
        List<String> poolsAdded,
        List<String> poolsChanged,
        List<String> poolsRemoved,
        List<String> poolsRetired,
        List<String> attachmentsAdded,
        List<String> attachmentsChanged,
        List<String> attachmentsRemoved,
        List<CapacityConflict> overbooked,
        int holdsMoved) {

    public TopologyChange {
        poolsAdded = List.copyOf(poolsAdded);
        poolsChanged = List.copyOf(poolsChanged);
        poolsRemoved = List.copyOf(poolsRemoved);
        poolsRetired = List.copyOf(poolsRetired);
        attachmentsAdded = List.copyOf(attachmentsAdded);
        attachmentsChanged = List.copyOf(attachmentsChanged);
        attachmentsRemoved = List.copyOf(attachmentsRemoved);
        overbooked = List.copyOf(overbooked);
    }

    /** True when the applied topology equals the stored one. */
    public boolean isEmpty() {
        return poolsAdded.isEmpty() && poolsChanged.isEmpty() && poolsRemoved.isEmpty() && poolsRetired.isEmpty()
                && attachmentsAdded.isEmpty() && attachmentsChanged.isEmpty() && attachmentsRemoved.isEmpty();
    }

    /** A one-line summary for the log. */
    public String summary() {
        return "version " + version + ": pools +" + poolsAdded.size() + " ~" + poolsChanged.size() + " -"
                + poolsRemoved.size() + " retired " + poolsRetired.size() + ", attachments +" + attachmentsAdded.size()
                + " ~" + attachmentsChanged.size() + " -" + attachmentsRemoved.size() + ", overbooked "
                + overbooked.size() + ", holds moved " + holdsMoved;
    }
}
