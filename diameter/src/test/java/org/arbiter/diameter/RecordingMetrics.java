package org.arbiter.diameter;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.arbiter.diameter.peer.PeerState;

/** Records metric events as "kind command result" strings for tests to await. */
public final class RecordingMetrics implements DiameterMetrics {

    public final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void requestAnswered(String command, long resultCode, Duration latency) {
        events.add("answered " + command + " " + resultCode);
    }

    @Override
    public void answerReceived(String command, long resultCode, Duration latency) {
        events.add("received " + command + " " + resultCode);
    }

    @Override
    public void requestTimedOut(String command) {
        events.add("timeout " + command);
    }

    @Override
    public void requestNotSent(String command, String reason) {
        events.add("notsent " + command);
    }

    @Override
    public void invalidMessage(long resultCode) {
        events.add("invalid " + resultCode);
    }

    @Override
    public void peerStateChanged(String host, PeerState state) {
        events.add("state " + host + " " + state);
    }

    /** Waits up to {@code timeout} for an event equal to {@code expected}, skipping others. */
    public boolean await(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            String e = events.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (expected.equals(e)) {
                return true;
            }
        }
    }
}
