package org.arbiter.bench.rx;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.DiameterEncoder;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.Dictionary;

/**
 * The Rx messages of the load generator, shaped as Kamailio 5.6 ims_qos sends them (orig
 * direction): built once per subscriber line with the project's codec, then copied and patched
 * per send (Hop-by-Hop, End-to-End, the Session-Id's sequence digits and, for the update AAR,
 * Session-Timeout), so the generator spends its CPU on the wire and not on encoding.
 *
 * <p>The AAR of line {@code i} carries Session-Id, Origin-Host/Realm, Auth-Application-Id and
 * Vendor-Specific-Application-Id, Destination-Realm, AF-Application-Identifier "IMS Services",
 * Authorization-Lifetime 7200, Subscription-Id (END_USER_SIP_URI {@code sip:line-<i>@home.example}),
 * Reservation-Priority, two Media-Component-Descriptions (1: audio with b=AS/RS/RR and bandwidth
 * AVPs; 2: an RTP game flow with extended SDP {@code a=qos-latency}, {@code a=qos-jitter},
 * {@code a=qos-class:fps-game} and no bandwidth AVPs, as Kamailio sends none for
 * {@code m=application}), each with the offer and answer Codec-Data ({@code uplink\noffer\n...}
 * and {@code downlink\nanswer\n...}, CRLF SDP lines, trailing NUL), Framed-IP-Address (the line's
 * UE address), Specific-Action 1,2,3,4,5,6,12, Auth-Grace-Period 0 and Session-Timeout 7200 (7199
 * in the update, as cdp counts it down). The peer (callee) is outside this domain.
 *
 * <p>Every connection of the generator is its own peer, as several P-CSCFs are (a Diameter node
 * keeps one connection per Origin-Host): peer {@code p} is {@code bench-<pp>.rx.test}, 0..99. The
 * Session-Id is {@code <origin-host>;<run, 10 digits>;<sequence, 12 digits>}: fixed width, so the
 * peer digits of Session-Id and Origin-Host and the sequence are patched in place. Immutable and
 * thread-safe after construction.
 */
public final class RxTraffic {

    static final Dictionary D = Dictionary.standard();
    static final int AA = 265;
    static final int STR = 275;
    static final int CER = 257;
    static final int DWR = 280;
    static final int DPR = 282;
    static final long RX = 16777236L;
    static final int VENDOR_3GPP = 10415;
    static final int RESULT_CODE = 268;
    static final int EXPERIMENTAL_RESULT = 297;
    static final int EXPERIMENTAL_RESULT_CODE = 298;
    /** The digits of the Session-Id's sequence part. */
    static final int SEQUENCE_DIGITS = 12;
    private static final int RUN_DIGITS = 10;
    /** Where the first AVP's data starts: header, then Session-Id's 8-byte AVP header. */
    private static final int SESSION_ID_DATA = DiameterMessage.HEADER_LENGTH + 8;
    /** The peer (callee) side: another operator's address, not in this ledger's topology. */
    public static final String PEER_ADDRESS = "192.0.2.20";

    /** The most peers (connections) the generator can be. */
    public static final int MAX_PEERS = 100;
    private static final String HOST_PREFIX = "bench-";

    private final String originRealm;
    private final String destinationRealm;
    private final String runId;
    private final List<String> ueAddresses;
    private final byte[][] aarByLine;
    private final byte[] str;
    private final int sequenceOffset;
    /** Where the peer digits of Origin-Host's data are (the AVP after Session-Id). */
    private final int originHostPeerOffset;

    /**
     * @param originRealm the generator's Origin-Realm
     * @param destinationRealm the PDP's realm
     * @param run a run number (0..9999999999) that keeps Session-Ids of different runs apart
     * @param ueAddresses the IPv4 UE address of every subscriber line
     */
    public RxTraffic(String originRealm, String destinationRealm, long run, List<String> ueAddresses) {
        this.originRealm = Objects.requireNonNull(originRealm, "originRealm");
        this.destinationRealm = Objects.requireNonNull(destinationRealm, "destinationRealm");
        if (run < 0 || run > 9_999_999_999L) {
            throw new IllegalArgumentException("run must be within 0..9999999999, was " + run);
        }
        if (ueAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one subscriber line is needed");
        }
        this.runId = String.format("%010d", run);
        this.ueAddresses = List.copyOf(ueAddresses);
        int hostLength = originHost(0).length();
        this.sequenceOffset = SESSION_ID_DATA + hostLength + 1 + RUN_DIGITS + 1;
        int sessionIdAvp = (8 + hostLength + 1 + RUN_DIGITS + 1 + SEQUENCE_DIGITS + 3) & ~3;
        this.originHostPeerOffset = DiameterMessage.HEADER_LENGTH + sessionIdAvp + 8 + HOST_PREFIX.length();
        this.aarByLine = new byte[this.ueAddresses.size()][];
        for (int i = 0; i < aarByLine.length; i++) {
            aarByLine[i] = DiameterEncoder.toBytes(aar(0, i, 0, 0, 0, false));
        }
        this.str = DiameterEncoder.toBytes(str(0, 0, 0, 0));
    }

    /** How many subscriber lines the traffic spreads over. */
    public int lines() {
        return aarByLine.length;
    }

    /** The Origin-Host of peer {@code peer} (0..99). */
    public static String originHost(int peer) {
        if (peer < 0 || peer >= MAX_PEERS) {
            throw new IllegalArgumentException("peer must be within 0.." + (MAX_PEERS - 1) + ", was " + peer);
        }
        return String.format("%s%02d.rx.test", HOST_PREFIX, peer);
    }

    /** The Session-Id of sequence number {@code seq} from peer {@code peer}. */
    public String sessionId(int peer, long seq) {
        return originHost(peer) + ";" + runId + ";" + String.format("%0" + SEQUENCE_DIGITS + "d", seq);
    }

    /** The subscriber of line {@code line}. */
    static String subscriber(int line) {
        return String.format("sip:line-%05d@home.example", line);
    }

    // ---- the fast path: copy and patch ---------------------------------------------------------

    /** Writes peer {@code peer}'s AAR of session {@code seq} on line {@code line}; {@code update} makes it the re-sent one. */
    public void writeAar(ByteBuf out, int peer, int line, long seq, int hopByHop, int endToEnd, boolean update) {
        byte[] t = aarByLine[line];
        int start = out.writerIndex();
        out.writeBytes(t);
        patch(out, start, peer, seq, hopByHop, endToEnd);
        if (update) {
            out.setInt(start + t.length - 4, 7199);
        }
    }

    /** Writes peer {@code peer}'s STR of session {@code seq}. */
    public void writeStr(ByteBuf out, int peer, long seq, int hopByHop, int endToEnd) {
        int start = out.writerIndex();
        out.writeBytes(str);
        patch(out, start, peer, seq, hopByHop, endToEnd);
    }

    /** The wire length of line {@code line}'s AAR. */
    public int aarLength(int line) {
        return aarByLine[line].length;
    }

    /** The wire length of the STR. */
    public int strLength() {
        return str.length;
    }

    private void patch(ByteBuf out, int start, int peer, long seq, int hopByHop, int endToEnd) {
        if (seq < 0 || seq >= 1_000_000_000_000L) {
            throw new IllegalArgumentException("sequence must be within 0..999999999999, was " + seq);
        }
        if (peer < 0 || peer >= MAX_PEERS) {
            throw new IllegalArgumentException("peer must be within 0.." + (MAX_PEERS - 1) + ", was " + peer);
        }
        for (int at : new int[] {start + SESSION_ID_DATA + HOST_PREFIX.length(), start + originHostPeerOffset}) {
            out.setByte(at, '0' + peer / 10);
            out.setByte(at + 1, '0' + peer % 10);
        }
        out.setInt(start + 12, hopByHop);
        out.setInt(start + 16, endToEnd);
        long v = seq;
        for (int i = SEQUENCE_DIGITS - 1; i >= 0; i--) {
            out.setByte(start + sequenceOffset + i, '0' + (int) (v % 10));
            v /= 10;
        }
    }

    /**
     * The Result-Code of an answer frame, or its Experimental-Result-Code, or -1 when it has
     * neither. Reads the frame in place (top-level AVPs, then the Experimental-Result's children)
     * without decoding it; a malformed frame gives -1.
     */
    public static long resultCode(ByteBuf frame) {
        int at = frame.readerIndex();
        int end = at + Math.min(frame.readableBytes(), frame.getUnsignedMedium(at + 1));
        return scan(frame, at + DiameterMessage.HEADER_LENGTH, end, true);
    }

    private static long scan(ByteBuf b, int at, int end, boolean topLevel) {
        long experimental = -1;
        while (at + 8 <= end) {
            int code = b.getInt(at);
            int flags = b.getUnsignedByte(at + 4);
            int len = b.getUnsignedMedium(at + 5);
            int header = (flags & Avp.FLAG_VENDOR) != 0 ? 12 : 8;
            if (len < header || at + len > end) {
                return -1;
            }
            int data = at + header;
            int dataLength = len - header;
            if (topLevel && code == RESULT_CODE && dataLength == 4) {
                return b.getUnsignedInt(data);
            }
            if (topLevel && code == EXPERIMENTAL_RESULT) {
                experimental = scan(b, data, data + dataLength, false);
            }
            if (!topLevel && code == EXPERIMENTAL_RESULT_CODE && dataLength == 4) {
                return b.getUnsignedInt(data);
            }
            at += (len + 3) & ~3;
        }
        return experimental;
    }

    // ---- messages, built with the codec --------------------------------------------------------

    /** Peer {@code peer}'s CER: Kamailio's shape (no Origin-State-Id, no Inband-Security-Id). */
    public DiameterMessage cer(int peer, int hopByHop) {
        List<Avp> a = new ArrayList<>();
        a.add(text("Origin-Host", originHost(peer)));
        a.add(text("Origin-Realm", originRealm));
        a.add(Avp.address(D.avp("Host-IP-Address"), InetAddress.getLoopbackAddress()));
        a.add(u32("Vendor-Id", VENDOR_3GPP));
        a.add(Avp.utf8(D.avp("Product-Name"), "ArbiterBench"));
        a.add(vsai());
        a.add(u32("Auth-Application-Id", RX));
        a.add(u32("Supported-Vendor-Id", VENDOR_3GPP));
        return new DiameterMessage(DiameterMessage.FLAG_REQUEST, CER, 0, hopByHop, hopByHop, a);
    }

    /** Peer {@code peer}'s AAR of session {@code seq} on line {@code line}, as {@link #writeAar} sends it. */
    public DiameterMessage aar(int peer, int line, long seq, int hopByHop, int endToEnd, boolean update) {
        String ue = ueAddresses.get(line);
        List<Avp> a = new ArrayList<>();
        a.add(text("Session-Id", sessionId(peer, seq)));
        a.add(text("Origin-Host", originHost(peer)));
        a.add(text("Origin-Realm", originRealm));
        a.add(u32("Auth-Application-Id", RX));
        a.add(vsai());
        a.add(text("Destination-Realm", destinationRealm));
        a.add(text("AF-Application-Identifier", "IMS Services"));
        a.add(u32("Authorization-Lifetime", 7200));
        a.add(Avp.grouped(D.avp("Subscription-Id"), Avp.enumerated(D.avp("Subscription-Id-Type"), 2),
                text("Subscription-Id-Data", subscriber(line))));
        a.add(Avp.enumerated(D.avp("Reservation-Priority"), 0));
        a.add(mcd(1, 0, ue, 16000, 26000, 64_000, 80_000, 800, 2000, AUDIO_OFFER, AUDIO_ANSWER));
        a.add(mcd(2, 3, ue, 16002, 26002, -1, -1, 0, 0, GAME_OFFER, GAME_ANSWER));
        a.add(Avp.octets(D.avp("Framed-IP-Address"), ipv4(ue)));
        for (int action : new int[] {1, 2, 3, 4, 5, 6, 12}) {
            a.add(Avp.enumerated(D.avp("Specific-Action"), action));
        }
        a.add(u32("Auth-Grace-Period", 0));
        a.add(u32("Session-Timeout", update ? 7199 : 7200));
        return new DiameterMessage(DiameterMessage.FLAG_REQUEST | DiameterMessage.FLAG_PROXIABLE, AA, RX, hopByHop, endToEnd, a);
    }

    /** Peer {@code peer}'s STR of session {@code seq} (Termination-Cause DIAMETER_LOGOUT), as {@link #writeStr} sends it. */
    public DiameterMessage str(int peer, long seq, int hopByHop, int endToEnd) {
        List<Avp> a = List.of(text("Session-Id", sessionId(peer, seq)), text("Origin-Host", originHost(peer)),
                text("Origin-Realm", originRealm),
                text("Destination-Realm", destinationRealm), u32("Auth-Application-Id", RX), vsai(),
                Avp.enumerated(D.avp("Termination-Cause"), 1));
        return new DiameterMessage(DiameterMessage.FLAG_REQUEST | DiameterMessage.FLAG_PROXIABLE, STR, RX, hopByHop, endToEnd, a);
    }

    /** Peer {@code peer}'s 2001 answer to a request of the server (DWR, DPR, RAR, ASR). */
    public DiameterMessage answer(int peer, DiameterMessage request) {
        List<Avp> a = new ArrayList<>();
        Avp sid = request.find(D.avp("Session-Id"));
        if (sid != null) {
            a.add(sid);
        }
        a.add(u32("Result-Code", 2001));
        a.add(text("Origin-Host", originHost(peer)));
        a.add(text("Origin-Realm", originRealm));
        return new DiameterMessage(request.flags() & DiameterMessage.FLAG_PROXIABLE, request.commandCode(), request.applicationId(),
                request.hopByHop(), request.endToEnd(), a);
    }

    /** Audio offer: the UE's m= block (PCMU, PCMA, DTMF) with b=AS:64. */
    public static final String AUDIO_OFFER = "uplink\noffer\nm=audio 16000 RTP/AVP 0 8 101\r\nb=AS:64\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n\0";
    /** Audio answer: PCMU and DTMF, b=AS:80, b=RS:800, b=RR:2000. */
    public static final String AUDIO_ANSWER = "downlink\nanswer\nm=audio 26000 RTP/AVP 0 101\r\nb=AS:80\r\nb=RS:800\r\nb=RR:2000\r\n"
            + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n\0";
    /** Game offer: an RTP game flow with the extended QoS attributes. */
    public static final String GAME_OFFER = "uplink\noffer\nm=application 16002 RTP/AVP 98\r\nb=AS:2000\r\na=rtpmap:98 x-game/90000\r\n"
            + "a=qos-latency:40\r\na=qos-jitter:10\r\na=qos-class:fps-game\r\na=game-format:fps\r\na=sendrecv\r\n\0";
    /** Game answer: the same class, a bigger downlink. */
    public static final String GAME_ANSWER = "downlink\nanswer\nm=application 26002 RTP/AVP 98\r\nb=AS:3000\r\na=rtpmap:98 x-game/90000\r\n"
            + "a=qos-latency:40\r\na=qos-jitter:10\r\na=qos-class:fps-game\r\na=game-format:fps\r\na=sendrecv\r\n\0";

    private static Avp mcd(int n, int mediaType, String ue, int offerPort, int answerPort, long ul, long dl, long rs, long rr,
                           String offer, String answer) {
        List<Avp> c = new ArrayList<>();
        c.add(u32("Media-Component-Number", n));
        c.add(Avp.grouped(D.avp("Media-Sub-Component"),
                u32("Flow-Number", n),
                text("Flow-Description", "permit out 17 from " + PEER_ADDRESS + " " + answerPort + " to " + ue + " " + offerPort),
                text("Flow-Description", "permit in 17 from " + ue + " " + offerPort + " to " + PEER_ADDRESS + " " + answerPort),
                Avp.enumerated(D.avp("Flow-Usage"), 0)));
        c.add(Avp.enumerated(D.avp("Media-Type"), mediaType));
        if (ul >= 0) {
            c.add(u32("Max-Requested-Bandwidth-UL", ul));
            c.add(u32("Max-Requested-Bandwidth-DL", dl));
        }
        if (rs > 0) {
            c.add(u32("RS-Bandwidth", rs));
            c.add(u32("RR-Bandwidth", rr));
        }
        c.add(text("Codec-Data", offer));
        c.add(text("Codec-Data", answer));
        c.add(Avp.enumerated(D.avp("Flow-Status"), 2));
        return Avp.grouped(D.avp("Media-Component-Description"), c);
    }

    private static Avp vsai() {
        return Avp.grouped(D.avp("Vendor-Specific-Application-Id"), u32("Vendor-Id", VENDOR_3GPP), u32("Auth-Application-Id", RX));
    }

    private static Avp u32(String name, long v) {
        return Avp.unsigned32(D.avp(name), v);
    }

    private static Avp text(String name, String v) {
        return Avp.utf8(D.avp(name), v);
    }

    private static byte[] ipv4(String address) {
        try {
            byte[] b = InetAddress.getByName(address).getAddress();
            if (b.length != 4) {
                throw new IllegalArgumentException("UE address " + address + " is not IPv4");
            }
            return b;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("UE address " + address + " is not an IP literal", e);
        }
    }
}
