package org.arbiter.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.Admission;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.Ledger;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.ResultCode;

/** Topologies, decisions and requests shared by the ledger tests. */
final class LedgerFixtures {

    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final Duration RESERVE = Duration.ofSeconds(30);
    static final Duration AUTHORIZE = Duration.ofMinutes(10);

    static final long M = 1_000_000L;

    private LedgerFixtures() {}

    /**
     * A small access network.
     * <pre>
     *   bras-1 (10M/10M, device bras-1)
     *     dslam-1-up (4M/4M, device dslam-1)
     *       line-a (1M UL / 2M DL, device dslam-1)   10.0.0.0/24
     *       line-b (1M UL / 2M DL, device dslam-1)   10.0.1.0/24, 2001:db8:1::/48
     *   cmts-1 (20M/20M, device cmts-1)
     *     us-1 (3M UL / 8M DL, device cmts-1)       10.2.0.0/16
     *     us-2 (3M UL / 8M DL, device cmts-1)       10.2.7.0/24 (nested, longest match)
     * </pre>
     */
    static Topology smallTopology() {
        return Topology.of(List.of(
                        new PoolSpec("bras-1", null, 10 * M, 10 * M, 1.0, "bras-1"),
                        new PoolSpec("dslam-1-up", "bras-1", 4 * M, 4 * M, 1.0, "dslam-1"),
                        new PoolSpec("line-a", "dslam-1-up", 1 * M, 2 * M, 1.0, "dslam-1"),
                        new PoolSpec("line-b", "dslam-1-up", 1 * M, 2 * M, 1.0, "dslam-1"),
                        new PoolSpec("cmts-1", null, 20 * M, 20 * M, 1.0, "cmts-1"),
                        new PoolSpec("us-1", "cmts-1", 3 * M, 8 * M, 1.0, "cmts-1"),
                        new PoolSpec("us-2", "cmts-1", 3 * M, 8 * M, 1.0, "cmts-1")),
                List.of(
                        new Attachment(IpPrefix.parse("10.0.0.0/24"), "line-a"),
                        new Attachment(IpPrefix.parse("10.0.1.0/24"), "line-b"),
                        new Attachment(IpPrefix.parse("2001:db8:1::/48"), "line-b"),
                        new Attachment(IpPrefix.parse("10.2.0.0/16"), "us-1"),
                        new Attachment(IpPrefix.parse("10.2.7.0/24"), "us-2")));
    }

    static Decision accept(String rule) {
        return Decision.accept(List.of(new FlowGrant(new FlowKey(1, 0), "voice", 64_000, 64_000, null, 46, 1, 5, false)),
                "v1", rule, List.of(rule + ": accept"));
    }

    static Decision reject(String rule) {
        return Decision.reject(ResultCode.REQUESTED_SERVICE_NOT_AUTHORIZED, "not allowed", "v1", rule,
                List.of(rule + ": reject"));
    }

    static FlowKey flow(int component) {
        return new FlowKey(component, 0);
    }

    static HoldRequest hold(AccessPath path, int component, Direction d, long bps) {
        return new HoldRequest(flow(component), d, path, bps, 46, 20);
    }

    /** One flow of session {@code session} on line A (10.0.0.7), both directions. */
    static Admission admitOnLineA(Ledger ledger, String session, long ulBps, long dlBps) {
        AccessPath p = path(ledger, "10.0.0.7");
        return ledger.admit(request(session, List.of(hold(p, 1, Direction.UPLINK, ulBps), hold(p, 1, Direction.DOWNLINK, dlBps))));
    }

    static AccessPath path(Ledger ledger, String address) {
        return ledger.resolve(address).orElseThrow(() -> new AssertionError("no path for " + address));
    }

    static AdmissionRequest request(String sessionId, Instant now, List<HoldRequest> holds) {
        return new AdmissionRequest(sessionId, "pcscf.example.net", "sip:alice@example.net", "icid-" + sessionId,
                accept("r-voice"), holds, now, now.plus(RESERVE), now.plus(AUTHORIZE));
    }

    static AdmissionRequest request(String sessionId, List<HoldRequest> holds) {
        return request(sessionId, T0, holds);
    }
}
