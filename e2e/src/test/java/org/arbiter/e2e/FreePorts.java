package org.arbiter.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free UDP ports on 127.0.0.1 for the SIP peers a test starts (SIP, SIPp's control socket): the
 * port is found by binding port 0 and reading it back, then released for the peer to bind. Ports
 * handed out once by an instance are not handed out again by it, so one test never gives two
 * peers the same port. The Diameter port needs no help: Arbiter binds port 0 itself and reports
 * the port it got.
 *
 * <p>Not thread-safe; one instance per test.
 */
final class FreePorts {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Set<Integer> given = new HashSet<>();

    /** A UDP port (SIP, the SIPp control socket) that is free for TCP as well. */
    int udp() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind a UDP socket on " + LOOPBACK, e);
            }
            if (tcpFree(port) && given.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("found no UDP port free on " + LOOPBACK + " in 50 attempts");
    }

    private static boolean tcpFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, LOOPBACK)) {
            return s.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }
}
