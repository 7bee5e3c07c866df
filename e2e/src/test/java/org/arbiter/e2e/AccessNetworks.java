package org.arbiter.e2e;

import java.util.List;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.Topology;

/**
 * The access network of the end-to-end calls: the caller (SDP address 127.0.0.1) and the callee
 * (127.0.0.2) each on a line, both lines behind one DSLAM uplink, behind one BRAS. The DSLAM
 * ({@link #DSLAM}) enforces the lines and its uplink, the BRAS ({@link #BRAS}) its own pool; both
 * are lab devices.
 *
 * <pre>
 *   bras-1 (10 Gbit/s)  <- dslam-1-uplink (1 Gbit/s)  <- line-caller 127.0.0.1/32
 *                                                     <- line-callee 127.0.0.2/32
 * </pre>
 *
 * A call's flow direction therefore holds 3 pools on each party's path: 6 holds per flow and
 * direction.
 */
final class AccessNetworks {

    static final String DSLAM = "dslam-1";
    static final String BRAS = "bras-1";
    static final String CALLER_LINE = "line-caller";
    static final String CALLEE_LINE = "line-callee";
    static final String DSLAM_UPLINK = "dslam-1-uplink";
    static final String BRAS_POOL = "bras-1";
    /** Pools on each party's path. */
    static final int PATH_LENGTH = 3;

    private static final long MBIT = 1_000_000;

    private AccessNetworks() {}

    /** Lines of 100 Mbit/s each way: room for dozens of game calls. */
    static Topology roomy() {
        return topology(100 * MBIT);
    }

    /** The callee's line has 1 Mbit/s each way: too small for a 2 Mbit/s game flow. */
    static Topology narrowCalleeLine() {
        return topology(MBIT);
    }

    private static Topology topology(long calleeLineBps) {
        return Topology.of(List.of(
                new PoolSpec(BRAS_POOL, null, 10_000 * MBIT, 10_000 * MBIT, 1.0, BRAS),
                new PoolSpec(DSLAM_UPLINK, BRAS_POOL, 1_000 * MBIT, 1_000 * MBIT, 1.0, DSLAM),
                new PoolSpec(CALLER_LINE, DSLAM_UPLINK, 100 * MBIT, 100 * MBIT, 1.0, DSLAM),
                new PoolSpec(CALLEE_LINE, DSLAM_UPLINK, calleeLineBps, calleeLineBps, 1.0, DSLAM)),
                List.of(new Attachment(IpPrefix.parse("127.0.0.1/32"), CALLER_LINE),
                        new Attachment(IpPrefix.parse("127.0.0.2/32"), CALLEE_LINE)));
    }
}
