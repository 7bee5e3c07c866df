package org.arbiter.core.policy;

import java.util.Objects;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;

/**
 * What policy grants one flow: the treatment that admission and enforcement apply.
 *
 * @param key the flow
 * @param sessionClass the class granted (may differ from the class asked for)
 * @param uplinkBps guaranteed bit/s UE to network; 0 means nothing is reserved that way
 * @param downlinkBps guaranteed bit/s network to UE
 * @param maxLatencyMs the latency target granted, or {@code null}
 * @param dscp the DiffServ code point (0..63) devices mark and queue by
 * @param qci the 3GPP QCI (TS 23.203), or {@code null}
 * @param priority admission priority, 1 (highest) .. 15
 * @param modified true when the grant is less than the requirement
 */
public record FlowGrant(
        FlowKey key,
        String sessionClass,
        long uplinkBps,
        long downlinkBps,
        Integer maxLatencyMs,
        int dscp,
        Integer qci,
        int priority,
        boolean modified) {

    public FlowGrant {
        Objects.requireNonNull(key, "key");
        if (uplinkBps < 0 || downlinkBps < 0) {
            throw new IllegalArgumentException("negative bandwidth in grant for flow " + key);
        }
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("dscp must be 0..63, was " + dscp);
        }
    }

    /** The guaranteed bit/s in one direction. */
    public long bps(Direction d) {
        return d == Direction.UPLINK ? uplinkBps : downlinkBps;
    }

    /** The same grant with other bandwidths, marked as modified when they are lower. */
    public FlowGrant withBandwidth(long ul, long dl) {
        boolean lower = ul < uplinkBps || dl < downlinkBps;
        return new FlowGrant(key, sessionClass, ul, dl, maxLatencyMs, dscp, qci, priority, modified || lower);
    }
}
