package org.arbiter.adapter.snmp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A slow device for the timeout tests: a UDP relay on 127.0.0.1 that passes each request on to
 * the agent only after a delay, and the answers straight back. Owns two threads and a scheduler,
 * all stopped by {@link #close()} (pending requests are dropped).
 */
final class DelayingUdpRelay implements AutoCloseable {

    private final DatagramSocket front;
    private final DatagramSocket back;
    private final InetSocketAddress agent;
    private final Duration delay;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final Thread requests;
    private final Thread answers;
    private volatile SocketAddress client;

    DelayingUdpRelay(int agentPort, Duration delay) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        this.front = new DatagramSocket(0, lo);
        this.back = new DatagramSocket(0, lo);
        this.agent = new InetSocketAddress(lo, agentPort);
        this.delay = delay;
        this.requests = Thread.ofPlatform().name("relay-requests").daemon().start(this::relayRequests);
        this.answers = Thread.ofPlatform().name("relay-answers").daemon().start(this::relayAnswers);
    }

    int port() {
        return front.getLocalPort();
    }

    private void relayRequests() {
        byte[] buf = new byte[65535];
        while (!front.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                front.receive(p);
                client = p.getSocketAddress();
                byte[] data = Arrays.copyOf(p.getData(), p.getLength());
                later.schedule(() -> forward(back, data, agent), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void relayAnswers() {
        byte[] buf = new byte[65535];
        while (!back.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                back.receive(p);
                SocketAddress to = client;
                if (to != null) {
                    forward(front, Arrays.copyOf(p.getData(), p.getLength()), to);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void forward(DatagramSocket via, byte[] data, SocketAddress to) {
        try {
            via.send(new DatagramPacket(data, data.length, to));
        } catch (IOException e) {
            // the relay is closing; the packet is lost as on a real network
        }
    }

    @Override
    public void close() {
        later.shutdownNow();
        front.close();
        back.close();
        try {
            requests.join(5_000);
            answers.join(5_000);
            later.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
