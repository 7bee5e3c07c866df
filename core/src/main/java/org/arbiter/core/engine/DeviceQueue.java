package org.arbiter.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.arbiter.core.adapter.Outcome;
import org.arbiter.core.adapter.OutcomeStatus;

/**
 * Coalesces concurrent operations on one device into batches.
 *
 * <p>Design: at most one batch per device is in flight. A caller enqueues its items; whoever finds
 * no batch in flight becomes the drainer and sends everything queued (up to {@code maxBatch}
 * items) in one adapter call, then repeats while items remain. Callers that arrive while a batch
 * is in flight wait, and go out together in the next one: under load, round trips per device stay
 * bounded by the device's latency, not by the request rate. Items with the same key in one batch
 * are sent once; every caller gets that item's outcome.
 *
 * <p>Thread-safe. The drainer is a caller's thread; no thread is started here.
 *
 * @param <T> the item type (a reservation, or a reservation id)
 */
final class DeviceQueue<T> {

    private record Pending<T>(List<T> items, CompletableFuture<List<Outcome>> done) {}

    private final ConcurrentLinkedQueue<Pending<T>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger queued = new AtomicInteger();
    private final Function<T, String> key;
    private final Function<List<T>, List<Outcome>> send;
    private final int maxBatch;

    /**
     * @param key the identity of an item (the reservation id)
     * @param send one adapter call for a batch; one outcome per item, in order
     * @param maxBatch the most items one call carries
     */
    DeviceQueue(Function<T, String> key, Function<List<T>, List<Outcome>> send, int maxBatch) {
        this.key = key;
        this.send = send;
        this.maxBatch = maxBatch;
    }

    /** Items waiting for a batch (for tests and metrics). */
    int queued() {
        return queued.get();
    }

    /** Submits items and waits for their outcomes, at most {@code wait}. */
    List<Outcome> submit(List<T> items, Duration wait) {
        Pending<T> p = new Pending<>(List.copyOf(items), new CompletableFuture<>());
        queued.addAndGet(items.size());
        queue.add(p);
        drain();
        try {
            return p.done().get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return fail(p.items(), OutcomeStatus.TIMEOUT, "no outcome within " + wait.toMillis() + " ms (device queue)");
        } catch (java.util.concurrent.ExecutionException e) {
            return fail(p.items(), OutcomeStatus.FAILED, "adapter threw " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(p.items(), OutcomeStatus.FAILED, "interrupted");
        }
    }

    private List<Outcome> fail(List<T> items, OutcomeStatus s, String why) {
        return items.stream().map(i -> new Outcome(key.apply(i), s, why)).toList();
    }

    private void drain() {
        do {
            if (!draining.compareAndSet(false, true)) {
                return;
            }
            try {
                while (!queue.isEmpty()) {
                    sendOneBatch();
                }
            } finally {
                draining.set(false);
            }
        } while (!queue.isEmpty());
    }

    private void sendOneBatch() {
        List<Pending<T>> taken = new ArrayList<>();
        Map<String, T> unique = new LinkedHashMap<>();
        int count = 0;
        Pending<T> head;
        while ((head = queue.peek()) != null && (taken.isEmpty() || count + head.items().size() <= maxBatch)) {
            queue.poll();
            taken.add(head);
            count += head.items().size();
            head.items().forEach(i -> unique.put(key.apply(i), i));
        }
        queued.addAndGet(-count);
        List<T> batch = new ArrayList<>(unique.values());
        List<Outcome> outcomes;
        try {
            outcomes = send.apply(batch);
        } catch (RuntimeException e) {
            // an adapter must not throw; if it does, every waiter learns it as a typed outcome
            outcomes = fail(batch, OutcomeStatus.FAILED, "adapter threw " + e);
        }
        Map<String, Outcome> byKey = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            String k = key.apply(batch.get(i));
            byKey.put(k, i < outcomes.size() ? outcomes.get(i) : new Outcome(k, OutcomeStatus.FAILED, "no outcome from adapter"));
        }
        for (Pending<T> p : taken) {
            p.done().complete(p.items().stream().map(i -> byKey.get(key.apply(i))).toList());
        }
    }
}
