package org.arbiter.adapter.pcmm;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.arbiter.adapter.pcmm.cops.CopsException;
import org.arbiter.adapter.pcmm.mm.Classifier;
import org.arbiter.adapter.pcmm.mm.GateSpec;
import org.arbiter.adapter.pcmm.mm.PcmmObject;
import org.arbiter.adapter.pcmm.mm.TrafficProfile;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.qos.Direction;

/**
 * How a {@link DeviceReservation} becomes a PacketCable Multimedia gate, and how a gate found on a
 * CMTS becomes a reservation again.
 *
 * <ul>
 *   <li><b>One gate per reservation.</b> UPLINK is an upstream gate, DOWNLINK a downstream gate.
 *       The SubscriberID is the subscriber address (IPv4 or IPv6).</li>
 *   <li><b>Reserve and commit in one Gate-Set</b>: the traffic profile carries Envelope 7
 *       (authorized, reserved and committed, all three equal). The reservation is already admitted
 *       by the ledger when it reaches a device, so the two-phase Authorize/Commit of PacketCable
 *       would only add a round trip and a T1/T2 window in which the gate can time out.</li>
 *   <li><b>GateSpec</b>: DSCP/TOS overwrite on, field = DSCP &lt;&lt; 2, mask 0xFC; SessionClassID
 *       from the configuration; T1..T4 = 0 (the CMTS defaults).</li>
 *   <li><b>Classifier</b>: one, ClassifierID 1, priority 64, active: the subscriber address as
 *       source (upstream) or destination (downstream), every protocol and port, the other end any.
 *       IPv4 uses the Extended Classifier, IPv6 the IPv6 Classifier. A modification replaces it
 *       (Action 1). The reservation carries no 5-tuple, so nothing narrower is possible.</li>
 *   <li><b>Traffic profile</b>: the configured DOCSIS Service Class Name for the direction; else,
 *       from the rate and burst, a FlowSpec (Guaranteed service: r = R = p = rate/8 bytes/s,
 *       b = burst, m = 64, M = 1500, S = 0) or, as configured, Best Effort, Real-Time Polling,
 *       Unsolicited Grant (upstream) or Downstream Service (downstream) parameters (see
 *       {@link #profile}).</li>
 *   <li><b>Opaque Data</b> carries the whole reservation (see {@link #opaque}), so the gates the
 *       CMTS reports in a Synch or a Gate-Info map back to reservation ids, rates included, after a
 *       restart or a reconnect. Gates without it, or with another AMID, are not ours.</li>
 * </ul>
 *
 * <p>A reservation that cannot be expressed (an address that is not an IP literal, a rate beyond
 * a 32-bit DOCSIS field) gives {@link CopsException}, which the adapter reports as REJECTED.
 */
final class GateMapping {

    /** The id of the one classifier of every gate. */
    static final int CLASSIFIER_ID = 1;
    /** The largest reservation record put in Opaque Data. */
    static final int MAX_OPAQUE = 1024;
    /** Default polling and grant interval when the reservation has no latency target, microseconds. */
    static final long DEFAULT_INTERVAL_US = 20_000;
    /** Request Transmission Policy for UGS: no contention requests, no piggyback, concatenation or fragmentation. */
    static final long UGS_TRANSMISSION_POLICY = 0x17F;
    /** Request Transmission Policy for rtPS: no broadcast or multicast request opportunities. */
    static final long RTPS_TRANSMISSION_POLICY = 0x1F;

    private static final byte[] MAGIC = "ARB".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT = 1;
    private static final int NULL_STRING = 0xFFFF;

    private GateMapping() {
    }

    /**
     * The objects of a Gate-Set after its TransactionID.
     *
     * @param gateId the gate to modify, or -1 for a new gate
     */
    static List<PcmmObject> gateSet(DeviceReservation r, long gateId, PcmmConfig cfg) {
        InetAddress subscriber = address(r);
        List<PcmmObject> objects = new ArrayList<>();
        objects.add(cfg.amid());
        objects.add(new PcmmObject.SubscriberId(subscriber));
        if (gateId >= 0) {
            objects.add(new PcmmObject.GateId(gateId));
        }
        objects.add(gateSpec(r, cfg));
        objects.add(profile(r, cfg));
        objects.add(classifier(r, subscriber, gateId >= 0 ? Classifier.ACTION_REPLACE : Classifier.ACTION_ADD));
        objects.add(opaque(r));
        return objects;
    }

    /** The objects of a Gate-Delete or Gate-Info of a gate after the TransactionID. */
    static List<PcmmObject> gateRef(DeviceReservation r, long gateId, PcmmConfig cfg) {
        return List.of(cfg.amid(), new PcmmObject.SubscriberId(address(r)), new PcmmObject.GateId(gateId));
    }

    static GateSpec gateSpec(DeviceReservation r, PcmmConfig cfg) {
        return new GateSpec(direction(r.direction()), true, r.dscp() << 2, 0xFC,
                new GateSpec.SessionClassId(cfg.sessionPriority(), cfg.preemption(), 0), 0, 0, 0, 0);
    }

    static GateSpec.Direction direction(Direction d) {
        return d == Direction.UPLINK ? GateSpec.Direction.UPSTREAM : GateSpec.Direction.DOWNSTREAM;
    }

    /** The subscriber address of a reservation, parsed as a literal (never resolved). */
    static InetAddress address(DeviceReservation r) {
        String s = r.subscriberAddress();
        byte[] raw = s == null ? null : NetUtil.createByteArrayFromIpAddressString(s);
        if (raw == null) {
            throw new CopsException("subscriber address '" + s + "' is not an IPv4 or IPv6 literal");
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new CopsException("subscriber address '" + s + "' has " + raw.length + " bytes");
        }
    }

    static Classifier classifier(DeviceReservation r, InetAddress subscriber, int action) {
        boolean up = r.direction() == Direction.UPLINK;
        if (subscriber instanceof Inet4Address v4) {
            Inet4Address any = (Inet4Address) literal("0.0.0.0");
            Inet4Address exact = (Inet4Address) literal("255.255.255.255");
            return new Classifier.Extended(Classifier.PROTOCOL_ANY, 0, 0, up ? v4 : any, up ? exact : any, up ? any : v4,
                    up ? any : exact, 0, 0xFFFF, 0, 0xFFFF, CLASSIFIER_ID, Classifier.DEFAULT_PRIORITY, Classifier.ACTIVE, action);
        }
        Inet6Address v6 = (Inet6Address) subscriber;
        Inet6Address any = (Inet6Address) literal("::");
        return new Classifier.Ipv6(0, 0, 0xFF, 0, 0, Classifier.PROTOCOL_ANY, up ? 128 : 0, up ? 0 : 128, up ? v6 : any,
                up ? any : v6, 0, 0xFFFF, 0, 0xFFFF, CLASSIFIER_ID, Classifier.DEFAULT_PRIORITY, Classifier.ACTIVE, action);
    }

    private static InetAddress literal(String s) {
        try {
            byte[] raw = NetUtil.createByteArrayFromIpAddressString(s);
            return raw.length == 16 ? Inet6Address.getByAddress(null, raw, -1) : InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(s + " is a literal", e);
        }
    }

    /**
     * The traffic profile of a reservation, Envelope 7 with three equal parameter blocks.
     *
     * <ul>
     *   <li>Service Class Name: the configured name for the direction.</li>
     *   <li>FlowSpec: Guaranteed service, r = R = p = rate/8 bytes/s, b = burst, m = 64, M = 1500, S = 0.</li>
     *   <li>Best Effort: Traffic Priority = DSCP &gt;&gt; 3, maximum sustained and minimum reserved rate =
     *       rate, maximum burst = max(burst, 1522), assumed minimum packet 64, concatenated burst 1522.</li>
     *   <li>Real-Time Polling: the same rates and burst, polling interval = half the latency target
     *       (1..100 ms, 20 ms without one), tolerated jitter = half the interval.</li>
     *   <li>Unsolicited Grant: grant interval as the polling interval above, one grant per interval of
     *       rate &times; interval / 8 bytes (rounded up), tolerated jitter = a quarter of the interval.</li>
     *   <li>Downstream Service: Traffic Priority = DSCP &gt;&gt; 3, rates and burst as Best Effort,
     *       maximum downstream latency = the latency target (0 without one).</li>
     * </ul>
     */
    static TrafficProfile profile(DeviceReservation r, PcmmConfig cfg) {
        boolean up = r.direction() == Direction.UPLINK;
        String scn = up ? cfg.upstreamServiceClass() : cfg.downstreamServiceClass();
        int env = TrafficProfile.AUTHORIZED_RESERVED_COMMITTED;
        if (scn != null) {
            return new TrafficProfile.ServiceClassName(env, scn);
        }
        long rate = r.rateBps();
        long burst = Math.max(r.burstBytes(), 1522);
        int priority = r.dscp() >> 3;
        if (up && cfg.upstreamProfile() != PcmmConfig.UpstreamProfile.FLOWSPEC) {
            checkRate(rate);
            long interval = interval(r);
            return switch (cfg.upstreamProfile()) {
                case BEST_EFFORT -> {
                    var e = new TrafficProfile.BestEffort.Envelope(priority, 0, rate, u32(burst), rate, 64, 1522, 0, 0, 0);
                    yield new TrafficProfile.BestEffort(env, List.of(e, e, e));
                }
                case RTPS -> {
                    var e = new TrafficProfile.RealTimePolling.Envelope(RTPS_TRANSMISSION_POLICY, rate, u32(burst), rate, 64, 1522,
                            interval, interval / 2, 0, 0, 0);
                    yield new TrafficProfile.RealTimePolling(env, List.of(e, e, e));
                }
                default -> {
                    long grant = (rate * interval + 8_000_000 - 1) / 8_000_000;
                    if (grant < 1 || grant > 0xFFFF) {
                        throw new CopsException("an Unsolicited Grant of " + grant + " bytes every " + interval
                                + " us (rate " + rate + " bit/s) does not fit the 16-bit grant size");
                    }
                    var e = new TrafficProfile.UnsolicitedGrant.Envelope(UGS_TRANSMISSION_POLICY, (int) grant, 1, interval,
                            interval / 4, 0, 0, 0);
                    yield new TrafficProfile.UnsolicitedGrant(env, List.of(e, e, e));
                }
            };
        }
        if (!up && cfg.downstreamProfile() == PcmmConfig.DownstreamProfile.DOWNSTREAM_SERVICE) {
            checkRate(rate);
            long latency = r.maxLatencyMs() == null ? 0 : Math.min(r.maxLatencyMs() * 1000L, 0xFFFF_FFFFL);
            var e = new TrafficProfile.DownstreamService.Envelope(priority, 0, rate, u32(burst), rate, 64, latency, 0, 0, 0, 0);
            return new TrafficProfile.DownstreamService(env, List.of(e, e, e));
        }
        float bytesPerSecond = rate / 8f;
        var e = new TrafficProfile.FlowSpec.Envelope(bytesPerSecond, r.burstBytes(), bytesPerSecond, 64, 1500, bytesPerSecond, 0);
        return new TrafficProfile.FlowSpec(env, TrafficProfile.FlowSpec.GUARANTEED, List.of(e, e, e));
    }

    private static long interval(DeviceReservation r) {
        if (r.maxLatencyMs() == null) {
            return DEFAULT_INTERVAL_US;
        }
        return Math.clamp(r.maxLatencyMs() * 1000L / 2, 1_000, 100_000);
    }

    private static void checkRate(long rate) {
        if (rate > 0xFFFF_FFFFL) {
            throw new CopsException("rate " + rate + " bit/s exceeds the 32-bit DOCSIS rate fields");
        }
    }

    private static long u32(long v) {
        return Math.min(v, 0xFFFF_FFFFL);
    }

    /**
     * The reservation as Opaque Data: "ARB", format 1, then id, Session-Id, pool, direction (0 UL,
     * 1 DL), subscriber address, rate (8 bytes), burst (8), DSCP (1) and latency target (4, -1 for
     * none); strings are a 2-byte length (0xFFFF for null) and UTF-8. The record knows its own end,
     * so the zero padding of the object does not matter.
     */
    static PcmmObject.OpaqueData opaque(DeviceReservation r) {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(MAGIC).writeByte(FORMAT);
        string(b, r.id());
        string(b, r.sessionId());
        string(b, r.poolId());
        b.writeByte(r.direction() == Direction.UPLINK ? 0 : 1);
        string(b, r.subscriberAddress());
        b.writeLong(r.rateBps()).writeLong(r.burstBytes()).writeByte(r.dscp());
        b.writeInt(r.maxLatencyMs() == null ? -1 : r.maxLatencyMs());
        if (b.readableBytes() > MAX_OPAQUE) {
            throw new CopsException("reservation " + r.id() + " needs " + b.readableBytes() + " bytes of Opaque Data, more than "
                    + MAX_OPAQUE);
        }
        return new PcmmObject.OpaqueData(ByteBufUtil.getBytes(b));
    }

    private static void string(ByteBuf b, String s) {
        if (s == null) {
            b.writeShort(NULL_STRING);
            return;
        }
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        if (u.length >= NULL_STRING) {
            throw new CopsException("a reservation field of " + u.length + " bytes is too long for Opaque Data");
        }
        b.writeShort(u.length).writeBytes(u);
    }

    /** The reservation in Opaque Data written by {@link #opaque}, or empty when it is not one of ours. */
    static Optional<DeviceReservation> reservation(PcmmObject.OpaqueData data) {
        Reader in = new Reader(data.data());
        if (!in.magic()) {
            return Optional.empty();
        }
        String id = in.string();
        String session = in.string();
        String pool = in.string();
        int dir = in.u8();
        String address = in.string();
        long rate = in.i64();
        long burst = in.i64();
        int dscp = in.u8();
        int latency = in.i32();
        if (!in.complete() || id == null || dir > 1 || rate < 0 || burst < 0 || dscp > 63 || latency < -1) {
            return Optional.empty();
        }
        return Optional.of(new DeviceReservation(id, session, pool, dir == 0 ? Direction.UPLINK : Direction.DOWNLINK, address, rate,
                burst, dscp, latency < 0 ? null : latency));
    }

    /** Reads the record of {@link #opaque}; a read past the end marks it broken instead of throwing. */
    private static final class Reader {
        private final ByteBuf b;
        private boolean broken;

        Reader(byte[] data) {
            b = Unpooled.wrappedBuffer(data);
        }

        private boolean has(int n) {
            broken |= b.readableBytes() < n;
            return !broken;
        }

        boolean magic() {
            if (!has(MAGIC.length + 1)) {
                return false;
            }
            for (byte m : MAGIC) {
                if (b.readByte() != m) {
                    return false;
                }
            }
            return b.readUnsignedByte() == FORMAT;
        }

        String string() {
            if (!has(2)) {
                return null;
            }
            int len = b.readUnsignedShort();
            if (len == NULL_STRING || !has(len)) {
                return null;
            }
            byte[] raw = new byte[len];
            b.readBytes(raw);
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                broken = true;
                return null;
            }
        }

        int u8() {
            return has(1) ? b.readUnsignedByte() : -1;
        }

        int i32() {
            return has(4) ? b.readInt() : -1;
        }

        long i64() {
            return has(8) ? b.readLong() : -1;
        }

        /** True when every read succeeded and only zero padding is left. */
        boolean complete() {
            while (!broken && b.isReadable()) {
                broken = b.readByte() != 0;
            }
            return !broken;
        }
    }
}
