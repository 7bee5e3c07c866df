package org.arbiter.core.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;

/**
 * Coalesces concurrent operations on one device into batches.
 *
 * <p>Design: at most one batch per device is in flight. A caller {@linkplain #enqueue enqueues} its
 * items and then tries to {@linkplain #tryClaim claim} the device. Whoever claims an idle device is
 * its drainer: it {@linkplain #drain drains} on its own thread, sending everything queued (up to
 * {@code maxBatch} items per adapter call) until its own items have their outcomes. If other
 * callers' items are still queued then, it hands the claim to a virtual thread of the executor,
 * which drains until the queue is empty, so that no caller drains for others without bound.
 * Callers that find the device busy just {@linkplain #await wait}: their items go out together
 * in the next batch, and under load round trips per device stay bounded by the device's latency,
 * not by the request rate. Items with the same key in one batch are sent once; every caller gets
 * that item's outcome. A caller that stops waiting (its deadline passed) withdraws its items if
 * they have not been sent yet.
 *
 * <p>The claim is a flag; a drainer releases it and then looks at the queue once more, claiming
 * again if items arrived meanwhile, so an enqueued item is always seen by a drainer.
 *
 * <p>Thread-safe.
 *
 * @param <T> the item type (a reservation, or a reservation id)
 */
final class DeviceQueue<T> {

    /** An adapter call shorter than this counts as fast: calling it inline is cheaper than a hand-off. */
    static final long FAST_CALL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    /** One caller's items and their outcomes. */
    static final class Pending<T> {
        final List<T> items;
        final CompletableFuture<List<Outcome>> done = new CompletableFuture<>();

        Pending(List<T> items) {
            this.items = items;
        }
    }

    private final ConcurrentLinkedQueue<Pending<T>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger queued = new AtomicInteger();
    private final Function<T, String> key;
    private final Function<List<T>, List<Outcome>> send;
    private final int maxBatch;
    private final Executor handOff;
    /** How long the last adapter call took; 0 before the first. */
    private volatile long lastCallNanos;

    /**
     * @param key the identity of an item (the reservation id)
     * @param send one adapter call for a batch; one outcome per item, in order
     * @param maxBatch the most items one call carries
     * @param handOff runs a drainer that serves the callers a finished drainer left queued
     */
    DeviceQueue(Function<T, String> key, Function<List<T>, List<Outcome>> send, int maxBatch, Executor handOff) {
        this.key = key;
        this.send = send;
        this.maxBatch = maxBatch;
        this.handOff = handOff;
    }

    /** Items waiting for a batch (for tests and metrics). */
    int queued() {
        return queued.get();
    }

    /** True when the device's last call took long enough that callers should not wait for it in turn. */
    boolean slow() {
        return lastCallNanos >= FAST_CALL_NANOS;
    }

    /** Queues items; their outcomes complete the returned pending. */
    Pending<T> enqueue(List<T> items) {
        Pending<T> p = new Pending<>(items);
        queued.addAndGet(items.size());
        queue.add(p);
        return p;
    }

    /** Claims an idle device; true when the caller is now its drainer and must call {@link #drain}. */
    boolean tryClaim() {
        return draining.compareAndSet(false, true);
    }

    /**
     * Drains as the claimed drainer until {@code mine} has its outcomes ({@code null}: until the
     * queue is empty), then releases the claim, handing what others left queued to a new drainer.
     */
    void drain(Pending<T> mine) {
        while (true) {
            try {
                while (!queue.isEmpty() && (mine == null || !mine.done.isDone())) {
                    sendOneBatch();
                }
            } finally {
                draining.set(false);
            }
            if (queue.isEmpty() || !tryClaim()) {
                return;
            }
            if (mine != null) {
                handOff();
                return;
            }
        }
    }

    private void handOff() {
        try {
            handOff.execute(() -> drain(null));
        } catch (RejectedExecutionException e) {
            // shutting down: serve the rest here rather than leave callers waiting
            drain(null);
        }
    }

    /**
     * The outcomes of {@code p}, waiting at most until {@code deadlineNanos} ({@link System#nanoTime}).
     * On timeout the items are withdrawn if not yet sent, and the outcomes are TIMEOUT.
     */
    List<Outcome> await(Pending<T> p, long deadlineNanos, long waitMillis) {
        try {
            return p.done.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            List<Outcome> late = fail(p.items, OutcomeStatus.TIMEOUT, "no outcome within " + waitMillis + " ms (device queue)");
            return p.done.complete(late) ? late : p.done.join();
        } catch (ExecutionException e) {
            return fail(p.items, OutcomeStatus.FAILED, "adapter threw " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            List<Outcome> stopped = fail(p.items, OutcomeStatus.FAILED, "interrupted");
            return p.done.complete(stopped) ? stopped : p.done.join();
        }
    }

    private List<Outcome> fail(List<T> items, OutcomeStatus s, String why) {
        List<Outcome> out = new ArrayList<>(items.size());
        for (T i : items) {
            out.add(new Outcome(key.apply(i), s, why));
        }
        return out;
    }

    private void sendOneBatch() {
        List<Pending<T>> taken = new ArrayList<>();
        Map<String, T> unique = new HashMap<>();
        List<T> batch = new ArrayList<>();
        int count = 0;
        Pending<T> head;
        while ((head = queue.peek()) != null && (taken.isEmpty() || count + head.items.size() <= maxBatch)) {
            queue.poll();
            queued.addAndGet(-head.items.size());
            if (head.done.isDone()) {
                // its caller stopped waiting: not sent
                continue;
            }
            taken.add(head);
            count += head.items.size();
            for (T i : head.items) {
                if (unique.putIfAbsent(key.apply(i), i) == null) {
                    batch.add(i);
                }
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        List<Outcome> outcomes;
        long start = System.nanoTime();
        try {
            outcomes = send.apply(batch);
        } catch (RuntimeException e) {
            // an adapter must not throw; if it does, every waiter learns it as a typed outcome
            outcomes = fail(batch, OutcomeStatus.FAILED, "adapter threw " + e);
        }
        lastCallNanos = System.nanoTime() - start;
        if (taken.size() == 1 && batch.size() == taken.getFirst().items.size()) {
            // one caller, no repeated item: its outcomes are the batch's, in order
            List<Outcome> out = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                out.add(outcomeAt(outcomes, i, batch.get(i)));
            }
            taken.getFirst().done.complete(out);
            return;
        }
        Map<String, Outcome> byKey = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byKey.put(key.apply(batch.get(i)), outcomeAt(outcomes, i, batch.get(i)));
        }
        for (Pending<T> p : taken) {
            p.done.complete(pick(p.items, byKey));
        }
    }

    /** The adapter's outcome for the batch item at {@code i}, FAILED when it gave none. */
    private Outcome outcomeAt(List<Outcome> outcomes, int i, T item) {
        Outcome o = i < outcomes.size() ? outcomes.get(i) : null;
        return o != null ? o : new Outcome(key.apply(item), OutcomeStatus.FAILED, "no outcome from adapter");
    }

    private List<Outcome> pick(List<T> items, Map<String, Outcome> byKey) {
        List<Outcome> out = new ArrayList<>(items.size());
        for (T i : items) {
            out.add(byKey.get(key.apply(i)));
        }
        return out;
    }
}
