package org.arbiter.diameter.rx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.DiameterServer;
import org.arbiter.diameter.StubHandler;
import org.arbiter.diameter.TestPeer;
import org.arbiter.diameter.codec.DiameterEncoder;
import org.arbiter.diameter.codec.InvalidMessage;
import org.arbiter.diameter.codec.RxSamples;
import org.arbiter.diameter.peer.PeerTable;

/**
 * Random and mutated bytes against a live server: it answers with well-formed frames or closes
 * the connection, and afterwards still serves a normal CER and AAR with no connection left over.
 */
class LiveSocketFuzzIT {

    private static DiameterServer server;
    private static final byte[] AAR = DiameterEncoder.toBytes(RxSamples.kamailioAar());

    @BeforeContainer
    static void start() {
        server = DiameterServer.start(DiameterConfig.builder("pdp.test", "pdp.test").listen("127.0.0.1", 0).allow("pcscf.rx.test")
                .maxMessageSize(8192).requestTimeout(Duration.ofSeconds(1)).build(), new StubHandler());
    }

    @AfterContainer
    static void serverSurvived() throws Exception {
        try {
            try (TestPeer p = TestPeer.open(server.port(), "pcscf.rx.test")) {
                assertThat(TestPeer.resultCode(p.exchange(p.aar("pcscf.rx.test;after-fuzz;1")))).isEqualTo(2001);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!server.peers().isEmpty() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
            assertThat(server.peers()).as("connections left after the fuzz").isEmpty();
        } finally {
            server.close();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ioThreads() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
        assertThat(ioThreads()).as("I/O threads left after close").isZero();
    }

    private static long ioThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(PeerTable.IO_THREAD_PREFIX)).count();
    }

    /** Sends bytes, reads what comes back until the server closes or goes quiet; every frame must parse. */
    private static void probe(byte[] bytes, boolean cerFirst) throws IOException {
        try (TestPeer p = cerFirst ? TestPeer.open(server.port(), "pcscf.rx.test") : TestPeer.connect(server.port(), "pcscf.rx.test")) {
            p.timeout(150);
            try {
                p.sendRaw(bytes);
                while (true) {
                    Object o = p.receiveAny();
                    assertThat(o).isNotInstanceOf(InvalidMessage.class);
                }
            } catch (SocketTimeoutException | java.io.EOFException | java.net.SocketException e) {
                // the server went quiet or closed: both are acceptable outcomes
            }
        }
    }

    @Property(tries = 60)
    void randomBytesBeforeCapabilitiesExchange(@ForAll @Size(min = 1, max = 200) byte[] bytes) throws IOException {
        probe(bytes, false);
    }

    @Property(tries = 60)
    void mutatedAarsOnAnOpenConnection(@ForAll("mutatedAars") byte[] bytes) throws IOException {
        probe(bytes, true);
    }

    @Provide
    Arbitrary<byte[]> mutatedAars() {
        Arbitrary<List<Integer>> positions = Arbitraries.integers().between(0, AAR.length - 1).list().ofMinSize(1).ofMaxSize(6);
        Arbitrary<List<Byte>> values = Arbitraries.bytes().list().ofSize(6);
        Arbitrary<Integer> cut = Arbitraries.integers().between(20, AAR.length);
        return Combinators.combine(positions, values, cut).as((ps, vs, c) -> {
            byte[] b = AAR.clone();
            for (int i = 0; i < ps.size(); i++) {
                b[ps.get(i)] = vs.get(i);
            }
            return Arrays.copyOf(b, c);
        });
    }
}
