package org.arbiter.adapter.netconf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on 127.0.0.1 that passes every chunk of bytes on, in both directions, only
 * {@code delay} after it arrived: a device that answers, but late. The SSH handshake through it
 * takes several delays, so an adapter with a shorter timeout sees no answer in time.
 *
 * <p>One accept thread and two pump threads per connection, all ended by {@link #close()}.
 */
final class DelayingTcpRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final long delayNanos;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    DelayingTcpRelay(int targetPort, Duration delay) throws IOException {
        this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.delayNanos = delay.toNanos();
        start("relay-accept-" + port(), this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket device = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(device);
                start("relay-up-" + port(), () -> pump(client, device));
                start("relay-down-" + port(), () -> pump(device, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                long due = System.nanoTime() + delayNanos;
                while (System.nanoTime() < due && !from.isClosed()) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed: the relay ends this connection
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        try {
            for (Thread t : threads) {
                LockSupport.unpark(t);
                t.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
