package org.arbiter.e2e;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling for states that no peer signals (a process's transaction count, a device
 * table): the condition is checked every 25 ms until it holds or the deadline passes.
 */
final class Poll {

    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private Poll() {}

    /** True as soon as {@code condition} holds, false when {@code timeout} passed first. */
    static boolean within(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, INTERVAL_NANOS));
        }
    }

    /** Waits for {@code condition}; fails with {@code state} (the state seen last) on timeout. */
    static void until(Duration timeout, String what, BooleanSupplier condition, Supplier<String> state) {
        if (!within(timeout, condition)) {
            throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what + "; last seen: " + state.get());
        }
    }
}
