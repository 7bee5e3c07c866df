package org.arbiter.diameter.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the answer to a request, starting as a failure: until {@link #resultCode(long)} or
 * {@link #experimentalResult(int, long)} says otherwise it answers DIAMETER_UNABLE_TO_COMPLY
 * (5012), so a path that forgets to decide still sends exactly one, failed, answer.
 *
 * <p>The answer copies the header (command, application, identifiers, P bit), the request's
 * Session-Id (first, RFC 6733 §8.8) and Proxy-Info AVPs (§6.7.4), and carries Origin-Host and
 * Origin-Realm. A 3xxx result sets the E bit (§7.1.3). Not thread-safe; one per answer.
 */
public final class AnswerBuilder {

    private static final Dictionary D = Dictionary.standard();
    private static final AvpDef SESSION_ID = D.avp("Session-Id");
    private static final AvpDef ORIGIN_HOST = D.avp("Origin-Host");
    private static final AvpDef ORIGIN_REALM = D.avp("Origin-Realm");
    private static final AvpDef RESULT_CODE = D.avp("Result-Code");
    private static final AvpDef EXPERIMENTAL_RESULT = D.avp("Experimental-Result");
    private static final AvpDef EXPERIMENTAL_RESULT_CODE = D.avp("Experimental-Result-Code");
    private static final AvpDef VENDOR_ID = D.avp("Vendor-Id");
    private static final AvpDef ERROR_MESSAGE = D.avp("Error-Message");
    private static final AvpDef FAILED_AVP = D.avp("Failed-AVP");
    private static final AvpDef PROXY_INFO = D.avp("Proxy-Info");

    /** A node's Origin-Host and Origin-Realm AVPs, encoded once. */
    private record Identity(String host, String realm, Avp hostAvp, Avp realmAvp) {}

    /** The identity of the last answer built: a node answers with the same one every time. */
    private static volatile Identity lastIdentity;

    private final DiameterMessage request;
    private final String originHost;
    private final String originRealm;
    private final List<Avp> body = new ArrayList<>();
    private long resultCode = ProtocolResult.DIAMETER_UNABLE_TO_COMPLY.code();
    private int experimentalVendor;
    private String errorMessage;
    private Avp failedAvp;

    private AnswerBuilder(DiameterMessage request, String originHost, String originRealm) {
        this.request = Objects.requireNonNull(request, "request");
        this.originHost = Objects.requireNonNull(originHost, "originHost");
        this.originRealm = Objects.requireNonNull(originRealm, "originRealm");
    }

    /** An answer to {@code request} from this node, failed (5012) until told otherwise. */
    public static AnswerBuilder to(DiameterMessage request, String originHost, String originRealm) {
        return new AnswerBuilder(request, originHost, originRealm);
    }

    /** Sets a Result-Code (and clears any Experimental-Result). */
    public AnswerBuilder resultCode(long code) {
        this.resultCode = code;
        this.experimentalVendor = 0;
        return this;
    }

    /** Sets an Experimental-Result {Vendor-Id, Experimental-Result-Code} instead of Result-Code. */
    public AnswerBuilder experimentalResult(int vendorId, long code) {
        this.resultCode = code;
        this.experimentalVendor = vendorId;
        return this;
    }

    public AnswerBuilder errorMessage(String message) {
        this.errorMessage = message;
        return this;
    }

    /** Adds Failed-AVP {offending} (RFC 6733 §7.5). */
    public AnswerBuilder failedAvp(Avp offending) {
        this.failedAvp = offending;
        return this;
    }

    /** Adds AVPs after Origin-Host/Origin-Realm and the result. */
    public AnswerBuilder add(Avp... avps) {
        body.addAll(List.of(avps));
        return this;
    }

    private static Identity identity(String host, String realm) {
        Identity id = lastIdentity;
        if (id == null || !id.host().equals(host) || !id.realm().equals(realm)) {
            id = new Identity(host, realm, Avp.utf8(ORIGIN_HOST, host), Avp.utf8(ORIGIN_REALM, realm));
            lastIdentity = id;
        }
        return id;
    }

    public DiameterMessage build() {
        List<Avp> avps = new ArrayList<>(6 + body.size());
        Avp sid = request.find(SESSION_ID);
        if (sid != null) {
            avps.add(sid);
        }
        Identity id = identity(originHost, originRealm);
        avps.add(id.hostAvp());
        avps.add(id.realmAvp());
        if (experimentalVendor != 0) {
            avps.add(Avp.grouped(EXPERIMENTAL_RESULT,
                    Avp.unsigned32(VENDOR_ID, experimentalVendor),
                    Avp.unsigned32(EXPERIMENTAL_RESULT_CODE, resultCode)));
        } else {
            avps.add(Avp.unsigned32(RESULT_CODE, resultCode));
        }
        avps.addAll(body);
        if (errorMessage != null && (resultCode < 2000 || resultCode >= 3000)) {
            avps.add(Avp.utf8(ERROR_MESSAGE, errorMessage));
        }
        if (failedAvp != null) {
            avps.add(Avp.grouped(FAILED_AVP, failedAvp));
        }
        avps.addAll(request.findAll(PROXY_INFO));
        int flags = request.flags() & DiameterMessage.FLAG_PROXIABLE;
        if (experimentalVendor == 0 && ProtocolResult.protocolError(resultCode)) {
            flags |= DiameterMessage.FLAG_ERROR;
        }
        return new DiameterMessage(flags, request.commandCode(), request.applicationId(), request.hopByHop(), request.endToEnd(), avps);
    }
}
