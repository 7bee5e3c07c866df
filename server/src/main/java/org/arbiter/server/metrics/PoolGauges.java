package org.arbiter.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.qos.Direction;

/**
 * Pool utilisation as gauges, from a snapshot refreshed by {@link #refresh()} (called on a timer,
 * never per scrape). Aggregation pools (those that are some pool's parent: DSLAM uplinks, BRAS,
 * CMTS) get one series each, {@code arbiter_pool_utilisation{pool,direction}}; leaf pools (lines,
 * modems), which can number hundreds of thousands, are summarised by
 * {@code arbiter_pools_above_threshold{direction}} (utilisation at or above 90%).
 */
public final class PoolGauges {

    private final MeterRegistry registry;
    private final Supplier<List<PoolUsage>> source;
    private final Map<String, double[]> utilisation = new ConcurrentHashMap<>();
    private final double[] leavesAbove = new double[2];

    public PoolGauges(MeterRegistry registry, Supplier<List<PoolUsage>> source) {
        this.registry = registry;
        this.source = source;
        for (Direction d : Direction.values()) {
            Gauge.builder("arbiter_pools_above_threshold", leavesAbove, a -> a[d.ordinal()])
                    .tag("direction", d.label()).description("leaf pools at or above 90% utilisation").register(registry);
        }
    }

    /** Takes a new snapshot of the ledger's pools. */
    public void refresh() {
        List<PoolUsage> pools = source.get();
        Set<String> parents = new HashSet<>();
        pools.forEach(p -> {
            if (p.pool().parent() != null) {
                parents.add(p.pool().parent());
            }
        });
        double[] above = new double[2];
        for (PoolUsage p : pools) {
            double ul = ratio(p.usedUplinkBps(), p.pool().admissible(Direction.UPLINK));
            double dl = ratio(p.usedDownlinkBps(), p.pool().admissible(Direction.DOWNLINK));
            if (parents.contains(p.pool().id())) {
                double[] cell = utilisation.computeIfAbsent(p.pool().id(), id -> {
                    double[] c = new double[2];
                    for (Direction d : Direction.values()) {
                        Gauge.builder("arbiter_pool_utilisation", c, a -> a[d.ordinal()])
                                .tag("pool", id).tag("direction", d.label()).register(registry);
                    }
                    return c;
                });
                cell[0] = ul;
                cell[1] = dl;
            } else {
                above[0] += ul >= 0.9 ? 1 : 0;
                above[1] += dl >= 0.9 ? 1 : 0;
            }
        }
        leavesAbove[0] = above[0];
        leavesAbove[1] = above[1];
    }

    private static double ratio(long used, long admissible) {
        return admissible <= 0 ? (used > 0 ? 1.0 : 0.0) : (double) used / admissible;
    }
}
