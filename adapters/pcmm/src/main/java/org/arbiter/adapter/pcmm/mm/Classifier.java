package org.arbiter.adapter.pcmm.mm;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Objects;
import org.arbiter.adapter.pcmm.cops.CopsException;

/**
 * Classifier (S-Num 6): which packets a gate applies to. S-Type 1 is the original IPv4 classifier,
 * 2 the Extended Classifier (IPv4 with masks, port ranges, an id and an action), 3 the IPv6
 * Classifier.
 */
public sealed interface Classifier extends PcmmObject permits Classifier.Legacy, Classifier.Extended, Classifier.Ipv6 {

    /** Protocol ID (Extended) and Next Header Type (IPv6) matching any IP protocol. */
    int PROTOCOL_ANY = 256;
    /** The classifier priority the specification suggests by default. */
    int DEFAULT_PRIORITY = 64;
    /** Activation State: active. */
    int ACTIVE = 1;
    /** Action: add the classifier. */
    int ACTION_ADD = 0;
    /** Action: replace the classifier with the same ClassifierID. */
    int ACTION_REPLACE = 1;
    /** Action: delete the classifier. */
    int ACTION_DELETE = 2;
    /** Action: no change. */
    int ACTION_NO_CHANGE = 3;

    @Override
    default int sNum() {
        return S_CLASSIFIER;
    }

    /** The original classifier (S-Type 1): exact IPv4 addresses and ports, 0 meaning any. */
    record Legacy(int protocolId, int dscpTosField, int dscpTosMask, Inet4Address source, Inet4Address destination,
            int sourcePort, int destinationPort, int priority) implements Classifier {
        public Legacy {
            CopsException.u16("Protocol ID", protocolId);
            CopsException.u8("DSCP/TOS Field", dscpTosField);
            CopsException.u8("DSCP/TOS Mask", dscpTosMask);
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
            CopsException.u16("Source Port", sourcePort);
            CopsException.u16("Destination Port", destinationPort);
            CopsException.u8("Priority", priority);
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 20;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(protocolId).writeByte(dscpTosField).writeByte(dscpTosMask);
            out.writeBytes(source.getAddress()).writeBytes(destination.getAddress());
            out.writeShort(sourcePort).writeShort(destinationPort).writeByte(priority).writeZero(3);
        }
    }

    /** The Extended Classifier (S-Type 2): IPv4 with masks and port ranges. */
    record Extended(int protocolId, int dscpTosField, int dscpTosMask, Inet4Address source, Inet4Address sourceMask,
            Inet4Address destination, Inet4Address destinationMask, int sourcePortStart, int sourcePortEnd,
            int destinationPortStart, int destinationPortEnd, int classifierId, int priority, int activationState, int action)
            implements Classifier {
        public Extended {
            CopsException.u16("Protocol ID", protocolId);
            CopsException.u8("DSCP/TOS Field", dscpTosField);
            CopsException.u8("DSCP/TOS Mask", dscpTosMask);
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(sourceMask, "sourceMask");
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(destinationMask, "destinationMask");
            ports(sourcePortStart, sourcePortEnd, destinationPortStart, destinationPortEnd);
            CopsException.u16("ClassifierID", classifierId);
            CopsException.u8("Priority", priority);
            CopsException.range("Activation State", activationState, 0, 1);
            CopsException.range("Action", action, 0, 3);
        }

        @Override
        public int sType() {
            return 2;
        }

        @Override
        public int contentLength() {
            return 36;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(protocolId).writeByte(dscpTosField).writeByte(dscpTosMask);
            out.writeBytes(source.getAddress()).writeBytes(sourceMask.getAddress());
            out.writeBytes(destination.getAddress()).writeBytes(destinationMask.getAddress());
            out.writeShort(sourcePortStart).writeShort(sourcePortEnd).writeShort(destinationPortStart).writeShort(destinationPortEnd);
            out.writeShort(classifierId).writeByte(priority).writeByte(activationState).writeByte(action).writeZero(3);
        }
    }

    /** The IPv6 Classifier (S-Type 3): prefixes, traffic class range, flow label and port ranges. */
    record Ipv6(int flags, int tcLow, int tcHigh, int tcMask, long flowLabel, int nextHeaderType, int sourcePrefixLength,
            int destinationPrefixLength, Inet6Address source, Inet6Address destination, int sourcePortStart, int sourcePortEnd,
            int destinationPortStart, int destinationPortEnd, int classifierId, int priority, int activationState, int action)
            implements Classifier {
        /** Flags bit 0: match the Flow Label. */
        public static final int FLAG_FLOW_LABEL = 0x01;

        public Ipv6 {
            CopsException.range("IPv6 Classifier flags", flags, 0, 1);
            CopsException.u8("tc-low", tcLow);
            CopsException.u8("tc-high", tcHigh);
            CopsException.u8("tc-mask", tcMask);
            if (flowLabel < 0 || flowLabel > 0xFFFFF) {
                throw new CopsException("Flow Label must be 0..0xFFFFF, was " + flowLabel);
            }
            CopsException.u16("Next Header Type", nextHeaderType);
            CopsException.range("Source Prefix Length", sourcePrefixLength, 0, 128);
            CopsException.range("Destination Prefix Length", destinationPrefixLength, 0, 128);
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
            ports(sourcePortStart, sourcePortEnd, destinationPortStart, destinationPortEnd);
            CopsException.u16("ClassifierID", classifierId);
            CopsException.u8("Priority", priority);
            CopsException.range("Activation State", activationState, 0, 1);
            CopsException.range("Action", action, 0, 3);
        }

        @Override
        public int sType() {
            return 3;
        }

        @Override
        public int contentLength() {
            return 60;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeByte(flags).writeByte(tcLow).writeByte(tcHigh).writeByte(tcMask);
            out.writeInt((int) flowLabel).writeShort(nextHeaderType).writeByte(sourcePrefixLength).writeByte(destinationPrefixLength);
            out.writeBytes(source.getAddress()).writeBytes(destination.getAddress());
            out.writeShort(sourcePortStart).writeShort(sourcePortEnd).writeShort(destinationPortStart).writeShort(destinationPortEnd);
            out.writeShort(classifierId).writeByte(priority).writeByte(activationState).writeByte(action).writeZero(3);
        }
    }

    private static void ports(int sourceStart, int sourceEnd, int destinationStart, int destinationEnd) {
        CopsException.u16("Source Port Start", sourceStart);
        CopsException.u16("Source Port End", sourceEnd);
        CopsException.u16("Destination Port Start", destinationStart);
        CopsException.u16("Destination Port End", destinationEnd);
        if (sourceStart > sourceEnd || destinationStart > destinationEnd) {
            throw new CopsException("port ranges must not be empty: source " + sourceStart + "-" + sourceEnd + ", destination "
                    + destinationStart + "-" + destinationEnd);
        }
    }
}
