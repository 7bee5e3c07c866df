package org.arbiter.core.qos;

/**
 * What one direction of one flow needs. Null components are "not specified"; a policy then
 * applies its defaults.
 *
 * <p>{@link RequirementExtractor} always fills the bandwidth of a direction that carries media
 * (from the Rx AVPs, the SDP or {@link MediaDefaults}), so 0 from it means the direction carries
 * none (sendonly, recvonly, inactive, port 0, Flow-Status).
 *
 * @param bandwidthBps bit/s, 0 when the direction carries no media
 * @param sessionClass the classification ({@code fps-game}, {@code voice}...), or {@code null}
 * @param maxLatencyMs one-way latency bound in milliseconds, or {@code null}
 * @param maxJitterMs jitter bound in milliseconds, or {@code null}
 * @param maxLossPercent packet loss bound in percent, or {@code null}
 * @param security required security, or {@code null}
 */
public record QosRequirement(
        long bandwidthBps,
        String sessionClass,
        Integer maxLatencyMs,
        Integer maxJitterMs,
        Double maxLossPercent,
        Security security) {

    public QosRequirement {
        if (bandwidthBps < 0) {
            throw new IllegalArgumentException("bandwidthBps must be >= 0, was " + bandwidthBps);
        }
    }

    /** A requirement with a bandwidth only. */
    public static QosRequirement ofBandwidth(long bandwidthBps) {
        return new QosRequirement(bandwidthBps, null, null, null, null, null);
    }

    /** The same requirement with another bandwidth; this one (an equal value) when the bandwidth is the same. */
    public QosRequirement withBandwidth(long bps) {
        if (bps == bandwidthBps) {
            return this;
        }
        return new QosRequirement(bps, sessionClass, maxLatencyMs, maxJitterMs, maxLossPercent, security);
    }

    public QosRequirement withSessionClass(String cls) {
        return new QosRequirement(bandwidthBps, cls, maxLatencyMs, maxJitterMs, maxLossPercent, security);
    }
}
