package org.arbiter.core.qos;

/** How an SDP answer changed a flow's requirements relative to the offer. */
public enum Modification {
    BANDWIDTH_LOWER,
    BANDWIDTH_HIGHER,
    LATENCY_STRICTER,
    LATENCY_LOOSER,
    JITTER_CHANGED,
    LOSS_CHANGED,
    CLASS_CHANGED,
    SECURITY_CHANGED,
    DIRECTION_CHANGED
}
