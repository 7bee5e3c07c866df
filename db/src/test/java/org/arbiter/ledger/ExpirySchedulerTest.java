package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExpirySchedulerTest {

    @Test
    void fullBatchesAreSweptAgainAtOnceUntilTheBacklogIsGone() throws InterruptedException {
        AtomicInteger backlog = new AtomicInteger(25);
        Queue<Integer> ended = new ConcurrentLinkedQueue<>();
        CountDownLatch drained = new CountDownLatch(1);
        try (ExpiryScheduler s = ExpiryScheduler.start(Duration.ofMillis(10), 10, limit -> {
            int n = Math.min(limit, Math.max(0, backlog.get()));
            backlog.addAndGet(-n);
            ended.add(n);
            if (n < limit) {
                drained.countDown();
            }
            return n;
        })) {
            assertThat(drained.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ended).startsWith(10, 10, 5);
    }

    @Test
    void aFailingSweepIsRetriedAtTheNextTick() throws InterruptedException {
        CountDownLatch secondCall = new CountDownLatch(2);
        try (ExpiryScheduler s = ExpiryScheduler.start(Duration.ofMillis(10), 5, limit -> {
            secondCall.countDown();
            if (secondCall.getCount() == 1) {
                throw new IllegalStateException("database down");
            }
            return 0;
        })) {
            assertThat(secondCall.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aNamedSweepRunsOnAThreadOfThatName() throws InterruptedException {
        Queue<String> threads = new ConcurrentLinkedQueue<>();
        CountDownLatch called = new CountDownLatch(1);
        try (ExpiryScheduler s = ExpiryScheduler.start("interim", Duration.ofMillis(10), 5, limit -> {
            threads.add(Thread.currentThread().getName());
            called.countDown();
            return 0;
        })) {
            assertThat(called.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(threads).first().isEqualTo("arbiter-interim");
    }

    @Test
    void intervalAndBatchOutOfRangeAreRefused() {
        assertThatThrownBy(() -> ExpiryScheduler.start(Duration.ofMillis(1), 10, n -> 0))
                .hasMessage("interval: PT0.001S is out of range; allowed PT0.01S..PT1H");
        assertThatThrownBy(() -> ExpiryScheduler.start(Duration.ofSeconds(1), 0, n -> 0))
                .hasMessage("batchSize: 0 is out of range; allowed 1..10000");
    }
}
