package org.arbiter.core.policy;

/**
 * Port: decides the QoS a request gets from the operator's policy.
 *
 * <p><b>Contract.</b> {@link #decide} is a pure function of the request and the currently loaded
 * rule set: it does no I/O and returns in microseconds. It never returns {@code null}. A request
 * the rules cannot place falls to the rule set's explicit default.
 *
 * <p><b>Threading.</b> Implementations are thread-safe; {@code decide} is called concurrently from
 * many worker threads. A rule set swapped while a decision runs does not affect that decision.
 *
 * <p><b>Errors.</b> An unexpected failure inside the engine surfaces as a
 * {@link RuntimeException}; the PDP then fails closed with DIAMETER_UNABLE_TO_COMPLY.
 */
public interface PolicyEngine {

    /** Decides one request. */
    Decision decide(PolicyRequest request);

    /** The version of the rule set in force (content hash and load time). */
    String version();

    /**
     * The bandwidth of a media stream that neither the Rx bandwidth AVPs nor its SDP state, by
     * media type and codec; the engine extracts requirements with these. A bandwidth of 0 in a
     * requirement then always means "no media in that direction".
     */
    default org.arbiter.core.qos.MediaDefaults mediaDefaults() {
        return org.arbiter.core.qos.MediaDefaults.builtIn();
    }
}
