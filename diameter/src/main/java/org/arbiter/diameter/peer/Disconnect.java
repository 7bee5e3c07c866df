package org.arbiter.diameter.peer;

import java.util.List;
import org.arbiter.diameter.codec.AnswerBuilder;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.AvpDef;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.Dictionary;
import org.arbiter.diameter.codec.ProtocolResult;

/**
 * Disconnect-Peer (RFC 6733 §5.4): DPR/DPA and the Disconnect-Cause values.
 *
 * <p>On a DPR we answer DPA and close the connection once the DPA is written (the RFC lets the
 * DPR's sender close; closing first is harmless and frees the socket at once). After a peer's
 * REBOOTING we reconnect a configured peer with the normal backoff; after BUSY or
 * DO_NOT_WANT_TO_TALK_TO_YOU with the longest backoff. Stateless.
 */
final class Disconnect {

    private static final Dictionary D = Dictionary.standard();
    static final int DPR = D.command("Disconnect-Peer");
    private static final AvpDef DISCONNECT_CAUSE = D.avp("Disconnect-Cause");

    /** Disconnect-Cause values. */
    enum Cause {
        REBOOTING(0), BUSY(1), DO_NOT_WANT_TO_TALK_TO_YOU(2);

        final int code;

        Cause(int code) {
            this.code = code;
        }
    }

    private Disconnect() {}

    static DiameterMessage request(String originHost, String originRealm, Cause cause, int hopByHop) {
        return new DiameterMessage(DiameterMessage.FLAG_REQUEST, DPR, 0, hopByHop, PeerConnection.nextEndToEnd(), List.of(
                Avp.utf8(D.avp("Origin-Host"), originHost),
                Avp.utf8(D.avp("Origin-Realm"), originRealm),
                Avp.enumerated(DISCONNECT_CAUSE, cause.code)));
    }

    static DiameterMessage answer(DiameterMessage dpr, String originHost, String originRealm) {
        return AnswerBuilder.to(dpr, originHost, originRealm).resultCode(ProtocolResult.DIAMETER_SUCCESS.code()).build();
    }

    /** The cause a DPR gives, REBOOTING when it gives none. */
    static Cause causeOf(DiameterMessage dpr) {
        Avp a = dpr.find(DISCONNECT_CAUSE);
        int c = a != null ? a.enumerated() : 0;
        return c == 1 ? Cause.BUSY : c == 2 ? Cause.DO_NOT_WANT_TO_TALK_TO_YOU : Cause.REBOOTING;
    }
}
