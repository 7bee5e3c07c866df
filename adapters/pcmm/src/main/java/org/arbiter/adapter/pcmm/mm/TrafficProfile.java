package org.arbiter.adapter.pcmm.mm;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.arbiter.adapter.pcmm.cops.CopsException;

/**
 * Traffic Profile (S-Num 7): the QoS a gate authorizes, reserves and commits. The Envelope field
 * says which of the three envelopes follow: 1 authorized, 3 authorized and reserved, 7 all three
 * (a gate reserved and committed by one Gate-Set). Each DOCSIS-specific profile carries one block of
 * parameters per envelope, in the I05+ layout (with the Attribute Aggregation Rule Mask).
 *
 * <p>S-Types: 1 FlowSpec, 2 DOCSIS Service Class Name, 3 Best Effort, 5 Real-Time Polling,
 * 6 Unsolicited Grant, 8 Downstream; 4 Non-Real-Time Polling, 7 UGS with Activity Detection and 9
 * Upstream Drop are carried as bytes ({@link Carried}).
 */
public sealed interface TrafficProfile extends PcmmObject permits TrafficProfile.FlowSpec, TrafficProfile.ServiceClassName,
        TrafficProfile.BestEffort, TrafficProfile.RealTimePolling, TrafficProfile.UnsolicitedGrant,
        TrafficProfile.DownstreamService, TrafficProfile.Carried {

    /** Envelope bit: authorized. */
    int AUTHORIZED = 1;
    /** Envelope bit: reserved. */
    int RESERVED = 2;
    /** Envelope bit: committed. */
    int COMMITTED = 4;
    /** Authorized, reserved and committed at once. */
    int AUTHORIZED_RESERVED_COMMITTED = AUTHORIZED | RESERVED | COMMITTED;

    /** The Envelope field. */
    int envelope();

    @Override
    default int sNum() {
        return S_TRAFFIC_PROFILE;
    }

    /** True for the Envelope values the specification allows: 1, 3 or 7. */
    static boolean validEnvelope(int envelope) {
        return envelope == 1 || envelope == 3 || envelope == 7;
    }

    private static <T> List<T> envelopes(String profile, int envelope, List<T> blocks) {
        if (!validEnvelope(envelope)) {
            throw new CopsException(profile + " Envelope must be 1, 3 or 7, was " + envelope);
        }
        List<T> copy = List.copyOf(blocks);
        if (copy.size() != Integer.bitCount(envelope)) {
            throw new CopsException(profile + " Envelope " + envelope + " needs " + Integer.bitCount(envelope) + " parameter blocks, got "
                    + copy.size());
        }
        return copy;
    }

    /**
     * FlowSpec (S-Type 1): RFC 2210 token bucket (TSpec) and, for Guaranteed service (number 2), the
     * RSpec. Rates and bucket sizes are IEEE floats in bytes per second and bytes.
     */
    record FlowSpec(int envelope, int serviceNumber, List<Envelope> envelopes) implements TrafficProfile {
        /** Service Number: Guaranteed (RFC 2212). */
        public static final int GUARANTEED = 2;
        /** Service Number: Controlled-Load (RFC 2211). */
        public static final int CONTROLLED_LOAD = 5;
        /** Bytes of one envelope block. */
        public static final int BLOCK = 28;

        /**
         * One envelope's token bucket and rate.
         *
         * @param tokenBucketRate r, bytes/s
         * @param tokenBucketSize b, bytes
         * @param peakDataRate p, bytes/s
         * @param minimumPolicedUnit m, bytes
         * @param maximumPacketSize M, bytes
         * @param rate R, bytes/s
         * @param slackTerm S, microseconds
         */
        public record Envelope(float tokenBucketRate, float tokenBucketSize, float peakDataRate, long minimumPolicedUnit,
                long maximumPacketSize, float rate, long slackTerm) {
            public Envelope {
                for (float f : new float[] {tokenBucketRate, tokenBucketSize, rate}) {
                    if (!(f >= 0) || Float.isInfinite(f)) {
                        throw new CopsException("FlowSpec r, b and R must be finite and >= 0, got " + f);
                    }
                }
                if (!(peakDataRate >= 0)) {
                    throw new CopsException("FlowSpec p must be >= 0 (+inf allowed), got " + peakDataRate);
                }
                CopsException.u32("Minimum Policed Unit", minimumPolicedUnit);
                CopsException.u32("Maximum Packet Size", maximumPacketSize);
                CopsException.u32("Slack Term", slackTerm);
            }

            void encode(ByteBuf out) {
                out.writeFloat(tokenBucketRate).writeFloat(tokenBucketSize).writeFloat(peakDataRate);
                out.writeInt((int) minimumPolicedUnit).writeInt((int) maximumPacketSize).writeFloat(rate).writeInt((int) slackTerm);
            }
        }

        public FlowSpec {
            CopsException.u8("FlowSpec Service Number", serviceNumber);
            envelopes = TrafficProfile.envelopes("FlowSpec", envelope, envelopes);
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4 + BLOCK * envelopes.size();
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeByte(envelope).writeByte(serviceNumber).writeShort(0);
            envelopes.forEach(e -> e.encode(out));
        }
    }

    /**
     * DOCSIS Service Class Name (S-Type 2): a service class provisioned on the CMTS, 1 to 15 ASCII
     * characters, NUL-terminated and padded.
     */
    record ServiceClassName(int envelope, String name) implements TrafficProfile {
        public ServiceClassName {
            if (!validEnvelope(envelope)) {
                throw new CopsException("Service Class Name Envelope must be 1, 3 or 7, was " + envelope);
            }
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || name.length() > 15 || !name.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                throw new CopsException("Service Class Name must be 1..15 printable ASCII characters without spaces, was '" + name + "'");
            }
        }

        @Override
        public int sType() {
            return 2;
        }

        @Override
        public int contentLength() {
            return 4 + PcmmObject.padded(name.length() + 1);
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeByte(envelope).writeZero(3);
            byte[] b = name.getBytes(StandardCharsets.US_ASCII);
            out.writeBytes(b).writeZero(PcmmObject.padded(b.length + 1) - b.length);
        }
    }

    /** Best Effort Service (S-Type 3), DOCSIS upstream best effort. Rates in bit/s, bursts in bytes. */
    record BestEffort(int envelope, List<Envelope> envelopes) implements TrafficProfile {
        /** Bytes of one envelope block. */
        public static final int BLOCK = 36;

        /** One envelope's Best Effort parameters (DOCSIS upstream service flow encodings). */
        public record Envelope(int trafficPriority, long requestTransmissionPolicy, long maxSustainedRate, long maxTrafficBurst,
                long minReservedRate, int assumedMinReservedPacketSize, int maxConcatenatedBurst, long requiredAttributeMask,
                long forbiddenAttributeMask, long attributeAggregationRuleMask) {
            public Envelope {
                CopsException.range("Traffic Priority", trafficPriority, 0, 7);
                CopsException.u32("Request Transmission Policy", requestTransmissionPolicy);
                CopsException.u32("Maximum Sustained Traffic Rate", maxSustainedRate);
                CopsException.u32("Maximum Traffic Burst", maxTrafficBurst);
                CopsException.u32("Minimum Reserved Traffic Rate", minReservedRate);
                CopsException.u16("Assumed Minimum Reserved Traffic Rate Packet Size", assumedMinReservedPacketSize);
                CopsException.u16("Maximum Concatenated Burst", maxConcatenatedBurst);
                CopsException.u32("Required Attribute Mask", requiredAttributeMask);
                CopsException.u32("Forbidden Attribute Mask", forbiddenAttributeMask);
                CopsException.u32("Attribute Aggregation Rule Mask", attributeAggregationRuleMask);
            }

            void encode(ByteBuf out) {
                out.writeByte(trafficPriority).writeZero(3).writeInt((int) requestTransmissionPolicy);
                out.writeInt((int) maxSustainedRate).writeInt((int) maxTrafficBurst).writeInt((int) minReservedRate);
                out.writeShort(assumedMinReservedPacketSize).writeShort(maxConcatenatedBurst);
                out.writeInt((int) requiredAttributeMask).writeInt((int) forbiddenAttributeMask).writeInt((int) attributeAggregationRuleMask);
            }
        }

        public BestEffort {
            envelopes = TrafficProfile.envelopes("Best Effort", envelope, envelopes);
        }

        @Override
        public int sType() {
            return 3;
        }

        @Override
        public int contentLength() {
            return 4 + BLOCK * envelopes.size();
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeByte(envelope).writeZero(3);
            envelopes.forEach(e -> e.encode(out));
        }
    }

    /** Real-Time Polling Service (S-Type 5), DOCSIS upstream rtPS. Intervals and jitter in microseconds. */
    record RealTimePolling(int envelope, List<Envelope> envelopes) implements TrafficProfile {
        /** Bytes of one envelope block. */
        public static final int BLOCK = 40;

        /** One envelope's Real-Time Polling parameters. */
        public record Envelope(long requestTransmissionPolicy, long maxSustainedRate, long maxTrafficBurst, long minReservedRate,
                int assumedMinReservedPacketSize, int maxConcatenatedBurst, long nominalPollingInterval, long toleratedPollJitter,
                long requiredAttributeMask, long forbiddenAttributeMask, long attributeAggregationRuleMask) {
            public Envelope {
                CopsException.u32("Request Transmission Policy", requestTransmissionPolicy);
                CopsException.u32("Maximum Sustained Traffic Rate", maxSustainedRate);
                CopsException.u32("Maximum Traffic Burst", maxTrafficBurst);
                CopsException.u32("Minimum Reserved Traffic Rate", minReservedRate);
                CopsException.u16("Assumed Minimum Reserved Traffic Rate Packet Size", assumedMinReservedPacketSize);
                CopsException.u16("Maximum Concatenated Burst", maxConcatenatedBurst);
                CopsException.u32("Nominal Polling Interval", nominalPollingInterval);
                CopsException.u32("Tolerated Poll Jitter", toleratedPollJitter);
                CopsException.u32("Required Attribute Mask", requiredAttributeMask);
                CopsException.u32("Forbidden Attribute Mask", forbiddenAttributeMask);
                CopsException.u32("Attribute Aggregation Rule Mask", attributeAggregationRuleMask);
            }

            void encode(ByteBuf out) {
                out.writeInt((int) requestTransmissionPolicy).writeInt((int) maxSustainedRate).writeInt((int) maxTrafficBurst);
                out.writeInt((int) minReservedRate).writeShort(assumedMinReservedPacketSize).writeShort(maxConcatenatedBurst);
                out.writeInt((int) nominalPollingInterval).writeInt((int) toleratedPollJitter);
                out.writeInt((int) requiredAttributeMask).writeInt((int) forbiddenAttributeMask).writeInt((int) attributeAggregationRuleMask);
            }
        }

        public RealTimePolling {
            envelopes = TrafficProfile.envelopes("Real-Time Polling", envelope, envelopes);
        }

        @Override
        public int sType() {
            return 5;
        }

        @Override
        public int contentLength() {
            return 4 + BLOCK * envelopes.size();
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeByte(envelope).writeZero(3);
            envelopes.forEach(e -> e.encode(out));
        }
    }

    /** Unsolicited Grant Service (S-Type 6), DOCSIS upstream UGS. Grant size in bytes, intervals in microseconds. */
    record UnsolicitedGrant(int envelope, List<Envelope> envelopes) implements TrafficProfile {
        /** Bytes of one envelope block. */
        public static final int BLOCK = 28;

        /** One envelope's Unsolicited Grant parameters. */
        public record Envelope(long requestTransmissionPolicy, int grantSize, int grantsPerInterval, long nominalGrantInterval,
                long toleratedGrantJitter, long requiredAttributeMask, long forbiddenAttributeMask, long attributeAggregationRuleMask) {
            public Envelope {
                CopsException.u32("Request Transmission Policy", requestTransmissionPolicy);
                CopsException.u16("Unsolicited Grant Size", grantSize);
                CopsException.u8("Grants Per Interval", grantsPerInterval);
                CopsException.u32("Nominal Grant Interval", nominalGrantInterval);
                CopsException.u32("Tolerated Grant Jitter", toleratedGrantJitter);
                CopsException.u32("Required Attribute Mask", requiredAttributeMask);
                CopsException.u32("Forbidden Attribute Mask", forbiddenAttributeMask);
                CopsException.u32("Attribute Aggregation Rule Mask", attributeAggregationRuleMask);
            }

            void encode(ByteBuf out) {
                out.writeInt((int) requestTransmissionPolicy).writeShort(grantSize).writeByte(grantsPerInterval).writeByte(0);
                out.writeInt((int) nominalGrantInterval).writeInt((int) toleratedGrantJitter);
                out.writeInt((int) requiredAttributeMask).writeInt((int) forbiddenAttributeMask).writeInt((int) attributeAggregationRuleMask);
            }
        }

        public UnsolicitedGrant {
            envelopes = TrafficProfile.envelopes("Unsolicited Grant", envelope, envelopes);
        }

        @Override
        public int sType() {
            return 6;
        }

        @Override
        public int contentLength() {
            return 4 + BLOCK * envelopes.size();
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeByte(envelope).writeZero(3);
            envelopes.forEach(e -> e.encode(out));
        }
    }

    /** Downstream Service (S-Type 8), DOCSIS downstream. Rates in bit/s, latency in microseconds. */
    record DownstreamService(int envelope, List<Envelope> envelopes) implements TrafficProfile {
        /** Bytes of one envelope block. */
        public static final int BLOCK = 40;

        /** One envelope's Downstream Service parameters. */
        public record Envelope(int trafficPriority, int downstreamResequencing, long maxSustainedRate, long maxTrafficBurst,
                long minReservedRate, int assumedMinReservedPacketSize, long maxDownstreamLatency, long downstreamPeakRate,
                long requiredAttributeMask, long forbiddenAttributeMask, long attributeAggregationRuleMask) {
            public Envelope {
                CopsException.range("Traffic Priority", trafficPriority, 0, 7);
                CopsException.range("Downstream Resequencing", downstreamResequencing, 0, 1);
                CopsException.u32("Maximum Sustained Traffic Rate", maxSustainedRate);
                CopsException.u32("Maximum Traffic Burst", maxTrafficBurst);
                CopsException.u32("Minimum Reserved Traffic Rate", minReservedRate);
                CopsException.u16("Assumed Minimum Reserved Traffic Rate Packet Size", assumedMinReservedPacketSize);
                CopsException.u32("Maximum Downstream Latency", maxDownstreamLatency);
                CopsException.u32("Downstream Peak Traffic Rate", downstreamPeakRate);
                CopsException.u32("Required Attribute Mask", requiredAttributeMask);
                CopsException.u32("Forbidden Attribute Mask", forbiddenAttributeMask);
                CopsException.u32("Attribute Aggregation Rule Mask", attributeAggregationRuleMask);
            }

            void encode(ByteBuf out) {
                out.writeByte(trafficPriority).writeByte(downstreamResequencing).writeShort(0);
                out.writeInt((int) maxSustainedRate).writeInt((int) maxTrafficBurst).writeInt((int) minReservedRate);
                out.writeShort(assumedMinReservedPacketSize).writeShort(0);
                out.writeInt((int) maxDownstreamLatency).writeInt((int) downstreamPeakRate);
                out.writeInt((int) requiredAttributeMask).writeInt((int) forbiddenAttributeMask).writeInt((int) attributeAggregationRuleMask);
            }
        }

        public DownstreamService {
            envelopes = TrafficProfile.envelopes("Downstream Service", envelope, envelopes);
        }

        @Override
        public int sType() {
            return 8;
        }

        @Override
        public int contentLength() {
            return 4 + BLOCK * envelopes.size();
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeByte(envelope).writeZero(3);
            envelopes.forEach(e -> e.encode(out));
        }
    }

    /**
     * A profile carried as bytes: Non-Real-Time Polling (S-Type 4), UGS with Activity Detection (7)
     * and Upstream Drop (9). The first byte is the Envelope.
     */
    record Carried(int sType, byte[] data) implements TrafficProfile {
        public Carried {
            if (sType != 4 && sType != 7 && sType != 9) {
                throw new CopsException("Traffic Profile S-Type " + sType + " has its own record or is unknown");
            }
            Objects.requireNonNull(data, "data");
            if (data.length < 4 || data.length % 4 != 0 || data.length > MAX_CONTENT_LENGTH) {
                throw new CopsException("carried Traffic Profile must be 4.." + MAX_CONTENT_LENGTH + " bytes in words, was " + data.length);
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int envelope() {
            return data[0] & 0xFF;
        }

        @Override
        public int contentLength() {
            return data.length;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeBytes(data);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Carried c && sType == c.sType && Arrays.equals(data, c.data);
        }

        @Override
        public int hashCode() {
            return 31 * sType + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "TrafficProfile.Carried[sType=" + sType + ", " + HexFormat.of().formatHex(data) + "]";
        }
    }
}
