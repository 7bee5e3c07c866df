package org.arbiter.diameter.peer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.arbiter.diameter.DiameterConfig;
import org.arbiter.diameter.codec.AnswerBuilder;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.AvpDef;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.Dictionary;
import org.arbiter.diameter.codec.ProtocolResult;

/**
 * Capabilities exchange (RFC 6733 §5.3): builds our CER and CEA and judges the peer's.
 *
 * <p>We advertise Rx twice, as Vendor-Specific-Application-Id {10415, 16777236} and as a plain
 * Auth-Application-Id 16777236 with Supported-Vendor-Id 10415, because Kamailio's cdp routes the
 * STR it builds itself after an ASR as (16777236, vendor 0) and finds no route with the first form
 * alone.
 *
 * <p>A peer has an application in common with us when it advertises Rx in any form, or the Relay
 * application 0xffffffff (a relay agent forwards every application, RFC 6733 §2.4;
 * freeDiameterd advertises only Relay). Otherwise: DIAMETER_NO_COMMON_APPLICATION (5010).
 *
 * <p>Security (§13 and the allow-list): an Origin-Host that is not configured, or that connects
 * from another address than the configured one, or (over TLS) that is not a DNS name or the CN of
 * the peer's certificate, gets DIAMETER_UNKNOWN_PEER (3010).
 *
 * <p>Stateless; thread-safe.
 */
final class CapabilitiesExchange {

    private static final Dictionary D = Dictionary.standard();
    static final int CER = D.command("Capabilities-Exchange");
    static final long RX = D.application("Rx");
    static final long RELAY = D.application("Relay");
    static final int VENDOR_3GPP = D.vendor("3GPP");
    private static final AvpDef ORIGIN_HOST = D.avp("Origin-Host");
    private static final AvpDef ORIGIN_REALM = D.avp("Origin-Realm");
    private static final AvpDef HOST_IP_ADDRESS = D.avp("Host-IP-Address");
    private static final AvpDef VENDOR_ID = D.avp("Vendor-Id");
    private static final AvpDef PRODUCT_NAME = D.avp("Product-Name");
    private static final AvpDef ORIGIN_STATE_ID = D.avp("Origin-State-Id");
    private static final AvpDef SUPPORTED_VENDOR_ID = D.avp("Supported-Vendor-Id");
    private static final AvpDef AUTH_APPLICATION_ID = D.avp("Auth-Application-Id");
    private static final AvpDef ACCT_APPLICATION_ID = D.avp("Acct-Application-Id");
    private static final AvpDef VSAI = D.avp("Vendor-Specific-Application-Id");
    private static final AvpDef RESULT_CODE = D.avp("Result-Code");

    private CapabilitiesExchange() {}

    /**
     * The verdict on a peer's CER or CEA.
     *
     * @param resultCode 2001, or the Result-Code that refuses the peer
     * @param host its Origin-Host (may be {@code null} when missing)
     * @param realm its Origin-Realm
     * @param originStateId its Origin-State-Id, or -1 when absent
     * @param reason why it was refused (for the WARN log and Error-Message)
     */
    record Verdict(long resultCode, String host, String realm, long originStateId, String reason) {
        boolean accepted() {
            return resultCode == ProtocolResult.DIAMETER_SUCCESS.code();
        }
    }

    /** Our capabilities, for a CER or a CEA. */
    static List<Avp> capabilities(DiameterConfig cfg, InetSocketAddress local, long originStateId) {
        List<Avp> a = new ArrayList<>();
        InetAddress ip = local != null ? local.getAddress() : InetAddress.getLoopbackAddress();
        a.add(Avp.address(HOST_IP_ADDRESS, ip));
        a.add(Avp.unsigned32(VENDOR_ID, cfg.vendorId()));
        a.add(Avp.utf8(PRODUCT_NAME, cfg.productName()));
        a.add(Avp.unsigned32(ORIGIN_STATE_ID, originStateId));
        a.add(Avp.unsigned32(SUPPORTED_VENDOR_ID, VENDOR_3GPP));
        a.add(Avp.unsigned32(AUTH_APPLICATION_ID, RX));
        a.add(Avp.grouped(VSAI, Avp.unsigned32(VENDOR_ID, VENDOR_3GPP), Avp.unsigned32(AUTH_APPLICATION_ID, RX)));
        return a;
    }

    static DiameterMessage request(DiameterConfig cfg, InetSocketAddress local, long originStateId, int hopByHop) {
        List<Avp> a = new ArrayList<>();
        a.add(Avp.utf8(ORIGIN_HOST, cfg.originHost()));
        a.add(Avp.utf8(ORIGIN_REALM, cfg.originRealm()));
        a.addAll(capabilities(cfg, local, originStateId));
        return new DiameterMessage(DiameterMessage.FLAG_REQUEST, CER, 0, hopByHop, PeerConnection.nextEndToEnd(), a);
    }

    static DiameterMessage answer(DiameterMessage cer, DiameterConfig cfg, InetSocketAddress local, long originStateId, Verdict v) {
        AnswerBuilder b = AnswerBuilder.to(cer, cfg.originHost(), cfg.originRealm()).resultCode(v.resultCode());
        b.add(capabilities(cfg, local, originStateId).toArray(Avp[]::new));
        if (!v.accepted()) {
            b.errorMessage(v.reason());
        }
        return b.build();
    }

    /** Judges a CER (inbound) or CEA (outbound, {@code expectedHost} set). */
    static Verdict judge(DiameterMessage m, DiameterConfig cfg, InetAddress from, SSLSession tls, String expectedHost) {
        String host = m.text(ORIGIN_HOST);
        String realm = m.text(ORIGIN_REALM);
        Avp sid = m.find(ORIGIN_STATE_ID);
        long stateId = sid != null ? sid.unsigned32() : -1;
        if (!m.isRequest()) {
            Avp rc = m.find(RESULT_CODE);
            long code = rc != null ? rc.unsigned32() : -1;
            if (code != ProtocolResult.DIAMETER_SUCCESS.code()) {
                return new Verdict(code, host, realm, stateId, "CEA with Result-Code " + code);
            }
        }
        if (host == null || realm == null) {
            return new Verdict(ProtocolResult.DIAMETER_MISSING_AVP.code(), host, realm, stateId,
                    host == null ? "no Origin-Host" : "no Origin-Realm");
        }
        if (expectedHost != null ? !expectedHost.equalsIgnoreCase(host) : !cfg.allows(host, from)) {
            return new Verdict(ProtocolResult.DIAMETER_UNKNOWN_PEER.code(), host, realm, stateId,
                    expectedHost != null ? "Origin-Host " + host + " is not the configured " + expectedHost
                            : "Origin-Host " + host + " from " + (from == null ? "?" : from.getHostAddress()) + " is not an allowed peer");
        }
        if (tls != null && !certificateNames(tls).contains(host.toLowerCase(java.util.Locale.ROOT))) {
            return new Verdict(ProtocolResult.DIAMETER_UNKNOWN_PEER.code(), host, realm, stateId,
                    "the TLS certificate does not name " + host + " (it names " + certificateNames(tls) + ")");
        }
        if (!hasCommonApplication(m)) {
            return new Verdict(ProtocolResult.DIAMETER_NO_COMMON_APPLICATION.code(), host, realm, stateId,
                    "no Rx (16777236) or Relay application advertised");
        }
        return new Verdict(ProtocolResult.DIAMETER_SUCCESS.code(), host, realm, stateId, "ok");
    }

    static boolean hasCommonApplication(DiameterMessage m) {
        Set<Long> apps = new HashSet<>();
        for (Avp a : m.avps()) {
            if (a.is(AUTH_APPLICATION_ID) || a.is(ACCT_APPLICATION_ID)) {
                apps.add(a.unsigned32());
            } else if (a.is(VSAI)) {
                for (Avp c : a.children()) {
                    if ((c.is(AUTH_APPLICATION_ID) || c.is(ACCT_APPLICATION_ID)) && c.dataLength() == 4) {
                        apps.add(c.unsigned32());
                    }
                }
            }
        }
        return apps.contains(RX) || apps.contains(RELAY);
    }

    /** The lower-cased DNS subject alternative names and CNs of the peer's certificate. */
    static Set<String> certificateNames(SSLSession tls) {
        Set<String> names = new HashSet<>();
        try {
            if (!(tls.getPeerCertificates()[0] instanceof X509Certificate cert)) {
                return names;
            }
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    if (san.size() == 2 && (Integer.valueOf(2).equals(san.get(0)) || Integer.valueOf(7).equals(san.get(0)))) {
                        names.add(String.valueOf(san.get(1)).toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(String.valueOf(rdn.getValue()).toLowerCase(java.util.Locale.ROOT));
                }
            }
        } catch (SSLPeerUnverifiedException | CertificateParsingException | InvalidNameException e) {
            return names;
        }
        return names;
    }
}
