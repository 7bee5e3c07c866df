package org.arbiter.diameter.peer;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.arbiter.diameter.DiameterException;
import org.arbiter.diameter.codec.DiameterMessage;

/**
 * One open transport connection to a peer, as the application sees it: who the peer is, and how
 * to answer it or send it a request.
 *
 * <p>Requests this node sends wait in a bounded table keyed by Hop-by-Hop Identifier until their
 * answer arrives, the request timeout passes, or the connection closes; a peer that never answers
 * (Kamailio 5.6 never answers RAR) costs one table slot for one timeout, nothing more.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class PeerConnection {

    /** End-to-End Identifiers (RFC 6733 §3): high 12 bits from the clock at start, low 20 counting. */
    private static final AtomicInteger END_TO_END = new AtomicInteger(
            (int) ((System.currentTimeMillis() / 1000) << 20) | ThreadLocalRandom.current().nextInt(1 << 20));

    private final Channel channel;
    private final boolean inbound;
    private final int maxPending;
    private final Duration timeout;
    private final AtomicInteger hopByHop = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    /** Messages written from other threads than the I/O thread, waiting for {@link #drain}. */
    private final Queue<DiameterMessage> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile String host;
    private volatile String realm;

    private record Pending(CompletableFuture<DiameterMessage> answer, ScheduledFuture<?> timer) {}

    PeerConnection(Channel channel, boolean inbound, int maxPending, Duration timeout) {
        this.channel = channel;
        this.inbound = inbound;
        this.maxPending = maxPending;
        this.timeout = timeout;
    }

    void identify(String peerHost, String peerRealm) {
        this.host = peerHost;
        this.realm = peerRealm;
    }

    /** The peer's Origin-Host from its CER/CEA ({@code null} before the capabilities exchange). */
    public String host() {
        return host;
    }

    /** The peer's Origin-Realm from its CER/CEA. */
    public String realm() {
        return realm;
    }

    /** True when the peer connected to us. */
    public boolean inbound() {
        return inbound;
    }

    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    public boolean isActive() {
        return channel.isActive();
    }

    /**
     * Writes a message (typically an answer); a closed connection drops it. Never blocks. On the
     * connection's I/O thread the message is written at once and flushed with the other answers of
     * the same read; from any other thread it joins the connection's outbox, which one task on the
     * I/O thread writes out and flushes once, however many messages it holds.
     */
    public void send(DiameterMessage message) {
        if (channel.eventLoop().inEventLoop()) {
            channel.writeAndFlush(message);
            return;
        }
        outbox.add(message);
        if (!draining.getAndSet(true)) {
            try {
                channel.eventLoop().execute(this::drain);
            } catch (RejectedExecutionException e) {
                outbox.clear();
            }
        }
    }

    /** On the I/O thread: writes every message in the outbox, then flushes once. */
    private void drain() {
        draining.set(false);
        boolean wrote = false;
        DiameterMessage m;
        while ((m = outbox.poll()) != null) {
            channel.write(m);
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** A fresh End-to-End Identifier for a request this node originates. */
    public static int nextEndToEnd() {
        return END_TO_END.getAndIncrement();
    }

    int nextHopByHop() {
        return hopByHop.getAndIncrement();
    }

    /**
     * Sends a request with a fresh Hop-by-Hop Identifier and returns its answer. The future fails
     * with {@link TimeoutException} when the request timeout passes, and with
     * {@link DiameterException} when the table of pending requests is full or the connection
     * closes first.
     */
    public CompletableFuture<DiameterMessage> request(DiameterMessage request) {
        CompletableFuture<DiameterMessage> f = new CompletableFuture<>();
        if (!channel.isActive()) {
            f.completeExceptionally(new DiameterException("connection to " + host + " is closed"));
            return f;
        }
        if (pending.size() >= maxPending) {
            f.completeExceptionally(new DiameterException("too many requests pending on " + host + " (" + pending.size() + "/" + maxPending + ")"));
            return f;
        }
        int id = nextHopByHop();
        ScheduledFuture<?> timer = channel.eventLoop().schedule(() -> {
            Pending p = pending.remove(id);
            if (p != null) {
                p.answer.completeExceptionally(new TimeoutException("no answer from " + host + " within " + timeout.toMillis() + " ms"));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        pending.put(id, new Pending(f, timer));
        channel.writeAndFlush(request.withHopByHop(id)).addListener(w -> {
            if (!w.isSuccess()) {
                fail(id, new DiameterException("cannot write to " + host, w.cause()));
            }
        });
        return f;
    }

    /** Completes the request this answer belongs to; false when none waits for it. */
    boolean complete(DiameterMessage answer) {
        Pending p = pending.remove(answer.hopByHop());
        if (p == null) {
            return false;
        }
        p.timer.cancel(false);
        p.answer.complete(answer);
        return true;
    }

    private void fail(int id, Throwable cause) {
        Pending p = pending.remove(id);
        if (p != null) {
            p.timer.cancel(false);
            p.answer.completeExceptionally(cause);
        }
    }

    void failAll() {
        for (Integer id : pending.keySet()) {
            fail(id, new DiameterException("connection to " + host + " closed before the answer"));
        }
    }

    Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "PeerConnection[" + host + (inbound ? " from " : " to ") + channel.remoteAddress() + "]";
    }
}
