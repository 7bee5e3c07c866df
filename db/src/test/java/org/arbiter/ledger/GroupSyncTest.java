package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.arbiter.core.ledger.Ledger.LedgerException;
import org.junit.jupiter.api.Test;

class GroupSyncTest {

    @Test
    void aLoneCommitForcesOnce() {
        AtomicInteger forces = new AtomicInteger();
        GroupSync sync = new GroupSync(forces::incrementAndGet, "test");

        sync.awaitDurable();

        assertThat(forces.get()).isEqualTo(1);
    }

    @Test
    void commitsWaitingDuringAForceShareTheNextOne() throws Exception {
        CountDownLatch firstForceEntered = new CountDownLatch(1);
        CountDownLatch releaseFirstForce = new CountDownLatch(1);
        AtomicInteger forces = new AtomicInteger();
        GroupSync sync = new GroupSync(() -> {
            if (forces.incrementAndGet() == 1) {
                firstForceEntered.countDown();
                await(releaseFirstForce);
            }
        }, "test");
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            Future<?> leader = pool.submit(sync::awaitDurable);
            assertThat(firstForceEntered.await(5, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> followers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                followers.add(pool.submit(sync::awaitDurable));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sync.commits() < 9 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            releaseFirstForce.countDown();
            leader.get(5, TimeUnit.SECONDS);
            for (Future<?> f : followers) {
                f.get(5, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sync.commits()).isEqualTo(9);
        assertThat(forces.get()).isEqualTo(2);
    }

    @Test
    void noCallerReturnsBeforeAForceThatStartedAfterItsCall() throws Exception {
        AtomicLong calls = new AtomicLong();
        AtomicLong forcedUpTo = new AtomicLong();
        GroupSync sync = new GroupSync(() -> forcedUpTo.set(calls.get()), "test");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger violations = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        long mine = calls.incrementAndGet();
                        sync.awaitDurable();
                        if (forcedUpTo.get() < mine) {
                            violations.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(violations.get()).isZero();
        assertThat(sync.forces()).isLessThanOrEqualTo(sync.commits());
    }

    @Test
    void aFailedForceFailsItsCaller() {
        GroupSync sync = new GroupSync(() -> {
            throw new SQLException("disk on fire");
        }, "test");

        assertThatThrownBy(sync::awaitDurable).isInstanceOf(LedgerException.class).hasMessageContaining("disk on fire");
    }

    @Test
    void noForceMeansNothingToWaitFor() {
        GroupSync.NONE.awaitDurable();

        assertThat(GroupSync.NONE.forces()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
