package org.arbiter.diameter;

import java.time.Duration;
import org.arbiter.diameter.peer.PeerState;

/**
 * What the Diameter front end counts, as callbacks the server binds to its metrics registry
 * (requests by command and result code, answer latency, per-peer state). Every method has a
 * no-op default; {@link #NONE} ignores everything.
 *
 * <p>Threading: called on Netty I/O threads and on worker threads, concurrently; implementations
 * must be thread-safe and must not block.
 */
public interface DiameterMetrics {

    /** A request from a peer was answered; {@code latency} runs from decode to the answer's write. */
    default void requestAnswered(String command, long resultCode, Duration latency) {}

    /** A peer answered a request this node sent (DWR, DPR, RAR, ASR...). */
    default void answerReceived(String command, long resultCode, Duration latency) {}

    /** A request this node sent got no answer within the request timeout. */
    default void requestTimedOut(String command) {}

    /** A request this node wanted to send could not be sent (no connection, too many pending). */
    default void requestNotSent(String command, String reason) {}

    /** A frame was malformed; {@code resultCode} is the error it was answered with. */
    default void invalidMessage(long resultCode) {}

    /** A peer connection changed state. */
    default void peerStateChanged(String host, PeerState state) {}

    /** Counts nothing. */
    DiameterMetrics NONE = new DiameterMetrics() {};
}
