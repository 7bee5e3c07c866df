package org.arbiter.diameter.rx;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SpecificAction;
import org.arbiter.core.session.SubscriptionId;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.AvpDef;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.Dictionary;
import org.arbiter.diameter.codec.ProtocolResult;

/**
 * Maps an AA-Request (TS 29.214 §5.6.1) to core's {@link RxRequest}, or to the fault that answers
 * it: DIAMETER_MISSING_AVP (5005) with an example of the missing AVP, DIAMETER_INVALID_AVP_VALUE
 * (5004) with the offending AVP.
 *
 * <p>Lenient where real clients need it: AVP order and repetition of single-valued AVPs are not
 * checked (the first wins), Specific-Action values this server does not know (Kamailio sends the
 * void value 5) are skipped, Codec-Data is kept verbatim with its trailing NUL. Stateless.
 */
final class AaRequestReader {

    private static final Dictionary D = Dictionary.standard();
    static final AvpDef SESSION_ID = D.avp("Session-Id");
    static final AvpDef ORIGIN_HOST = D.avp("Origin-Host");
    static final AvpDef ORIGIN_REALM = D.avp("Origin-Realm");
    private static final AvpDef SUBSCRIPTION_ID = D.avp("Subscription-Id");
    private static final AvpDef SUBSCRIPTION_ID_TYPE = D.avp("Subscription-Id-Type");
    private static final AvpDef SUBSCRIPTION_ID_DATA = D.avp("Subscription-Id-Data");
    private static final AvpDef FRAMED_IP_ADDRESS = D.avp("Framed-IP-Address");
    private static final AvpDef FRAMED_IPV6_PREFIX = D.avp("Framed-IPv6-Prefix");
    private static final AvpDef MCD = D.avp("Media-Component-Description");
    private static final AvpDef MEDIA_COMPONENT_NUMBER = D.avp("Media-Component-Number");
    private static final AvpDef MEDIA_SUB_COMPONENT = D.avp("Media-Sub-Component");
    private static final AvpDef FLOW_NUMBER = D.avp("Flow-Number");
    private static final AvpDef FLOW_DESCRIPTION = D.avp("Flow-Description");
    private static final AvpDef FLOW_STATUS = D.avp("Flow-Status");
    private static final AvpDef FLOW_USAGE = D.avp("Flow-Usage");
    private static final AvpDef MEDIA_TYPE = D.avp("Media-Type");
    private static final AvpDef MAX_UL = D.avp("Max-Requested-Bandwidth-UL");
    private static final AvpDef MAX_DL = D.avp("Max-Requested-Bandwidth-DL");
    private static final AvpDef RR = D.avp("RR-Bandwidth");
    private static final AvpDef RS = D.avp("RS-Bandwidth");
    private static final AvpDef CODEC_DATA = D.avp("Codec-Data");
    private static final AvpDef SPECIFIC_ACTION = D.avp("Specific-Action");
    private static final AvpDef AF_CHARGING_IDENTIFIER = D.avp("AF-Charging-Identifier");
    private static final AvpDef AF_APPLICATION_IDENTIFIER = D.avp("AF-Application-Identifier");
    private static final AvpDef AUTHORIZATION_LIFETIME = D.avp("Authorization-Lifetime");

    private AaRequestReader() {}

    /** Why a request cannot be served: the Result-Code, the Failed-AVP content and a reason. */
    record Fault(long resultCode, Avp failedAvp, String reason) {}

    /** Exactly one of {@code request} and {@code fault} is set. */
    record Result(RxRequest request, Fault fault) {}

    /** Thrown inside the reader only; {@link #read} turns it into a {@link Fault}. */
    private static final class Refusal extends RuntimeException {
        final transient Fault fault;

        Refusal(Fault fault) {
            super(fault.reason(), null, false, false);
            this.fault = fault;
        }
    }

    static Result read(DiameterMessage aar, Instant receivedAt) {
        try {
            return new Result(map(aar, receivedAt), null);
        } catch (Refusal r) {
            return new Result(null, r.fault);
        }
    }

    /** An example of a missing AVP for Failed-AVP (RFC 6733 §7.5): its code and zeroed data. */
    static Avp missingExample(AvpDef def) {
        int n = Math.max(0, def.type().fixedLength());
        return new Avp(def.code(), def.flags(), def.vendorId(), new byte[n]);
    }

    static Fault missing(AvpDef def, String where) {
        return new Fault(ProtocolResult.DIAMETER_MISSING_AVP.code(), missingExample(def), def.name() + " missing" + where);
    }

    private static Avp required(List<Avp> in, AvpDef def, String where) {
        for (int i = 0, n = in.size(); i < n; i++) {
            Avp a = in.get(i);
            if (a.is(def)) {
                return a;
            }
        }
        throw new Refusal(missing(def, where));
    }

    private static Refusal invalid(Avp a, String reason) {
        return new Refusal(new Fault(ProtocolResult.DIAMETER_INVALID_AVP_VALUE.code(), a, reason));
    }

    private static RxRequest map(DiameterMessage aar, Instant receivedAt) {
        List<Avp> top = aar.avps();
        String sessionId = required(top, SESSION_ID, "").utf8();
        if (sessionId.isEmpty()) {
            throw invalid(aar.find(SESSION_ID), "empty Session-Id");
        }
        String originHost = required(top, ORIGIN_HOST, "").utf8();
        String originRealm = required(top, ORIGIN_REALM, "").utf8();
        List<SubscriptionId> subs = new ArrayList<>();
        for (Avp s : aar.findAll(SUBSCRIPTION_ID)) {
            List<Avp> c = s.children();
            Avp type = required(c, SUBSCRIPTION_ID_TYPE, " in Subscription-Id");
            SubscriptionId.Type t = SubscriptionId.Type.fromCode(type.enumerated());
            if (t == null) {
                throw invalid(type, "Subscription-Id-Type " + type.enumerated() + " is not defined");
            }
            subs.add(new SubscriptionId(t, required(c, SUBSCRIPTION_ID_DATA, " in Subscription-Id").utf8()));
        }
        List<MediaComponent> components = new ArrayList<>();
        for (Avp mcd : aar.findAll(MCD)) {
            components.add(component(mcd));
        }
        Set<SpecificAction> actions = EnumSet.noneOf(SpecificAction.class);
        for (Avp a : aar.findAll(SPECIFIC_ACTION)) {
            SpecificAction sa = SpecificAction.fromCode(a.enumerated());
            if (sa != null) {
                actions.add(sa);
            }
        }
        Avp charging = aar.find(AF_CHARGING_IDENTIFIER);
        Avp application = aar.find(AF_APPLICATION_IDENTIFIER);
        Avp lifetime = aar.find(AUTHORIZATION_LIFETIME);
        return new RxRequest(sessionId, originHost, originRealm, subs, ueAddress(aar), components, actions,
                charging != null ? charging.utf8() : null,
                application != null ? application.utf8() : null,
                lifetime != null ? Duration.ofSeconds(lifetime.unsigned32()) : null,
                receivedAt);
    }

    private static String ueAddress(DiameterMessage aar) {
        Avp v4 = aar.find(FRAMED_IP_ADDRESS);
        if (v4 != null) {
            if (v4.dataLength() != 4) {
                throw invalid(v4, "Framed-IP-Address must be 4 bytes, has " + v4.dataLength());
            }
            return text(v4.octets(), v4);
        }
        Avp v6 = aar.find(FRAMED_IPV6_PREFIX);
        if (v6 != null) {
            byte[] d = v6.octets();
            int len = d.length >= 2 ? d[1] & 0xFF : -1;
            if (len < 0 || len > 128 || d.length != 2 + (len + 7) / 8) {
                throw invalid(v6, "Framed-IPv6-Prefix is not {reserved, length, prefix} (RFC 3162 2.3)");
            }
            return text(Arrays.copyOf(Arrays.copyOfRange(d, 2, d.length), 16), v6);
        }
        return null;
    }

    private static String text(byte[] address, Avp from) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw invalid(from, "not an IP address");
        }
    }

    private static MediaComponent component(Avp mcd) {
        List<Avp> c = mcd.children();
        Avp number = null;
        Avp mt = null;
        Avp ul = null;
        Avp dl = null;
        Avp rr = null;
        Avp rs = null;
        Avp status = null;
        List<Avp> subAvps = new ArrayList<>();
        List<String> codecData = new ArrayList<>();
        for (Avp a : c) {
            if (a.is(MEDIA_SUB_COMPONENT)) {
                subAvps.add(a);
            } else if (a.is(CODEC_DATA)) {
                codecData.add(a.utf8());
            } else if (a.is(MEDIA_COMPONENT_NUMBER)) {
                number = number != null ? number : a;
            } else if (a.is(MEDIA_TYPE)) {
                mt = mt != null ? mt : a;
            } else if (a.is(MAX_UL)) {
                ul = ul != null ? ul : a;
            } else if (a.is(MAX_DL)) {
                dl = dl != null ? dl : a;
            } else if (a.is(RR)) {
                rr = rr != null ? rr : a;
            } else if (a.is(RS)) {
                rs = rs != null ? rs : a;
            } else if (a.is(FLOW_STATUS)) {
                status = status != null ? status : a;
            }
        }
        if (number == null) {
            throw new Refusal(missing(MEDIA_COMPONENT_NUMBER, " in Media-Component-Description"));
        }
        List<MediaSubComponent> subs = new ArrayList<>(subAvps.size());
        for (Avp a : subAvps) {
            subs.add(subComponent(a));
        }
        return new MediaComponent((int) number.unsigned32(), mt != null ? MediaType.fromCode(mt.enumerated()) : null, subs,
                bandwidth(ul), bandwidth(dl), bandwidth(rr), bandwidth(rs), flowStatus(status), codecData);
    }

    private static MediaSubComponent subComponent(Avp msc) {
        List<Avp> c = msc.children();
        Avp flow = null;
        Avp usage = null;
        Avp status = null;
        Avp ul = null;
        Avp dl = null;
        List<String> descriptions = new ArrayList<>();
        for (Avp a : c) {
            if (a.is(FLOW_DESCRIPTION)) {
                descriptions.add(a.utf8());
            } else if (a.is(FLOW_NUMBER)) {
                flow = flow != null ? flow : a;
            } else if (a.is(FLOW_USAGE)) {
                usage = usage != null ? usage : a;
            } else if (a.is(FLOW_STATUS)) {
                status = status != null ? status : a;
            } else if (a.is(MAX_UL)) {
                ul = ul != null ? ul : a;
            } else if (a.is(MAX_DL)) {
                dl = dl != null ? dl : a;
            }
        }
        if (flow == null) {
            throw new Refusal(missing(FLOW_NUMBER, " in Media-Sub-Component"));
        }
        if (usage != null && (usage.enumerated() < 0 || usage.enumerated() > 2)) {
            throw invalid(usage, "Flow-Usage " + usage.enumerated() + " is not defined (0..2)");
        }
        return new MediaSubComponent((int) flow.unsigned32(), descriptions, flowStatus(status), usage != null ? usage.enumerated() : -1,
                bandwidth(ul), bandwidth(dl));
    }

    private static FlowStatus flowStatus(Avp a) {
        if (a == null) {
            return null;
        }
        FlowStatus s = FlowStatus.fromCode(a.enumerated());
        if (s == null) {
            throw invalid(a, "Flow-Status " + a.enumerated() + " is not defined (0..4)");
        }
        return s;
    }

    private static long bandwidth(Avp a) {
        return a != null ? a.unsigned32() : -1;
    }
}
