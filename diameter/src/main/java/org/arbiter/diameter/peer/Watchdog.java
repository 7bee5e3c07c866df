package org.arbiter.diameter.peer;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.arbiter.diameter.codec.AnswerBuilder;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.Dictionary;
import org.arbiter.diameter.codec.ProtocolResult;

/**
 * Device watchdog (RFC 6733 §5.5, RFC 3539 §3.4) of one open connection.
 *
 * <p>Every received message restarts the period Tw (with jitter of up to 2 s, or Tw/4 when Tw is
 * shorter, RFC 3539 §3.4.1). A message only records its time: the timer is not rescheduled per
 * message; when it fires with traffic seen since it was armed, it re-arms itself for what is left
 * of Tw after the last message. When Tw passes in silence a DWR is sent; when Tw passes again with
 * that DWR unanswered the connection becomes SUSPECT; when a further Tw passes in silence it is
 * DOWN and closed (the peer layer then reconnects a configured peer). Any message in SUSPECT
 * brings it back to OKAY. Departure: there is no REOPEN state with three DWRs before traffic
 * resumes, since a closed connection always starts again with a fresh capabilities exchange.
 *
 * <p>Confined to the connection's event loop.
 */
final class Watchdog {

    private static final Dictionary D = Dictionary.standard();
    static final int DWR = D.command("Device-Watchdog");

    interface Hooks {
        void sendDwr();

        void suspect();

        void down();

        void recovered();
    }

    private final EventLoop loop;
    private final long twMillis;
    private final Hooks hooks;
    private ScheduledFuture<?> timer;
    /** When the current period started: the last message received, or the last arming. */
    private long lastNanos;
    /** The jittered Tw of the current period. */
    private long periodNanos;
    private boolean pending;
    private boolean suspect;
    private boolean stopped;

    Watchdog(EventLoop loop, Duration tw, Hooks hooks) {
        this.loop = loop;
        this.twMillis = tw.toMillis();
        this.hooks = hooks;
    }

    void start() {
        arm();
    }

    /** Any message from the peer, received at {@code nanos} ({@link System#nanoTime()}). */
    void received(DiameterMessage m, long nanos) {
        if (stopped) {
            return;
        }
        if (!m.isRequest() && m.commandCode() == DWR) {
            pending = false;
        }
        if (suspect) {
            suspect = false;
            pending = false;
            hooks.recovered();
        }
        lastNanos = nanos;
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void arm() {
        if (timer != null) {
            timer.cancel(false);
        }
        long jitterMax = Math.min(2000, twMillis / 4);
        periodNanos = TimeUnit.MILLISECONDS.toNanos(twMillis + ThreadLocalRandom.current().nextLong(-jitterMax, jitterMax + 1));
        lastNanos = System.nanoTime();
        timer = loop.schedule(this::expired, periodNanos, TimeUnit.NANOSECONDS);
    }

    private void expired() {
        if (stopped) {
            return;
        }
        long left = lastNanos + periodNanos - System.nanoTime();
        if (left > 0) {
            timer = loop.schedule(this::expired, left, TimeUnit.NANOSECONDS);
            return;
        }
        if (suspect) {
            stopped = true;
            hooks.down();
            return;
        }
        if (pending) {
            suspect = true;
            hooks.suspect();
        } else {
            pending = true;
            hooks.sendDwr();
        }
        arm();
    }

    static DiameterMessage request(String originHost, String originRealm, long originStateId, int hopByHop) {
        return new DiameterMessage(DiameterMessage.FLAG_REQUEST, DWR, 0, hopByHop, PeerConnection.nextEndToEnd(), List.of(
                Avp.utf8(D.avp("Origin-Host"), originHost),
                Avp.utf8(D.avp("Origin-Realm"), originRealm),
                Avp.unsigned32(D.avp("Origin-State-Id"), originStateId)));
    }

    static DiameterMessage answer(DiameterMessage dwr, String originHost, String originRealm, long originStateId) {
        return AnswerBuilder.to(dwr, originHost, originRealm)
                .resultCode(ProtocolResult.DIAMETER_SUCCESS.code())
                .add(Avp.unsigned32(D.avp("Origin-State-Id"), originStateId))
                .build();
    }
}
