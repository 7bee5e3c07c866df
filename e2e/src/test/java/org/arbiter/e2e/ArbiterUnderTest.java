package org.arbiter.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.engine.ReconcileReport;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.ledger.SessionView;
import org.arbiter.core.ledger.Topology;

/**
 * The Arbiter the end-to-end tests run the P-CSCF against: its Diameter Rx endpoint, and what the
 * tests observe and do to it. Every test gets it from {@link #start}, which today assembles it in
 * the test's JVM ({@link InProcessArbiter}); an implementation that runs the {@code arbiter serve}
 * process and reads its admin API replaces that one line, and the tests do not change.
 *
 * <p>Its Diameter identity is {@link #ORIGIN_HOST}, the IP literal Kamailio's cdp names it by:
 * cdp matches the PDP's ASRs by that name and connects to it.
 *
 * <p>Thread-safe; waits are bounded.
 */
interface ArbiterUnderTest extends AutoCloseable {

    /** Arbiter's Origin-Host: the cdp Peer FQDN. */
    String ORIGIN_HOST = "127.0.0.1";
    /** Arbiter's Origin-Realm: the P-CSCF's rx_dest_realm. */
    String REALM = "arbiter.test";

    /**
     * Starts Arbiter on a free port of 127.0.0.1 with its ledger (loaded with {@code topology}),
     * its policy ({@code policy/e2e.yaml}) and its files under {@code dir}.
     */
    static ArbiterUnderTest start(Path dir, Topology topology) {
        return InProcessArbiter.start(dir, topology);
    }

    /**
     * As {@link #start(Path, Topology)}, the devices named in {@code adapters} (by device id)
     * enforced by those adapters instead of lab devices; Arbiter closes them with itself.
     */
    static ArbiterUnderTest start(Path dir, Topology topology, Map<String, DeviceAdapter> adapters) {
        return InProcessArbiter.start(dir, topology, adapters);
    }

    /** As {@link #start(Path, Topology, Map)}, every device call given {@code deviceTimeout}. */
    static ArbiterUnderTest start(Path dir, Topology topology, Map<String, DeviceAdapter> adapters, Duration deviceTimeout) {
        return InProcessArbiter.start(dir, topology, adapters, deviceTimeout);
    }

    /** The Diameter port (the same across {@link #restart()}). */
    int diameterPort();

    /** The AARs and STRs answered so far, in the order answered (the answer may still be in flight). */
    List<RxExchange> exchanges();

    /** Waits until the answered exchanges satisfy {@code condition}; fails naming {@code what}. */
    void awaitExchanges(Duration timeout, String what, Predicate<List<RxExchange>> condition);

    /** Waits until the peer {@code host} has an open Diameter connection to the current instance. */
    void awaitPeerOpen(String host, Duration timeout);

    /** The ledger's view of a session. */
    Optional<SessionView> session(String sessionId);

    /** Every pool with its use. */
    List<PoolUsage> pools();

    /** The reservations each access device holds now, by device id. */
    Map<String, Integer> deviceReservations();

    /**
     * Compares one device with the ledger now ({@code PdpEngine.reconcile}): re-applies what the
     * device lacks, removes what the ledger does not hold.
     */
    ReconcileReport reconcile(String deviceId);

    /** Makes Arbiter end a session from its side: an ASR to the AF, which then sends STR. */
    void abort(String sessionId, String originHost, String reason);

    /**
     * Stops the Diameter front end and the PDP (the connections close with DPR) and starts new
     * ones on the same port and the same durable ledger; the access devices keep what they hold.
     */
    void restart();

    @Override
    void close();
}
