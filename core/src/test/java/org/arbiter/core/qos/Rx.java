package org.arbiter.core.qos;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.RxRequest;

/** Builds Rx requests shaped like those Kamailio 5.6.3 ims_qos sends (caller 127.0.0.1, callee 127.0.0.2). */
final class Rx {

    static final String CALLER = "127.0.0.1";
    static final String CALLEE = "127.0.0.2";

    /** Audio Codec-Data of the observed call, in the captured format (offer b=AS:64). */
    static final String AUDIO_OFFER = "uplink\noffer\nm=audio 16000 RTP/AVP 0\r\nb=AS:64\r\n"
            + "a=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n\0";
    /** Audio answer of the observed call: b=AS:80, b=RS:800, b=RR:2000. */
    static final String AUDIO_ANSWER = "downlink\nanswer\nm=audio 26000 RTP/AVP 0\r\nb=AS:80\r\nb=RS:800\r\n"
            + "b=RR:2000\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n\0";

    private Rx() {}

    static RxRequest request(String framed, MediaComponent... components) {
        return new RxRequest("pcscf.rx.test;2072389454;1", "pcscf.rx.test", "rx.test", List.of(), framed,
                List.of(components), Set.of(), null, "IMS Services", null, Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** The two Flow-Descriptions Kamailio writes for the originating side. */
    static List<String> origFlows(int callerPort, int calleePort) {
        return List.of("permit out 17 from " + CALLEE + " " + calleePort + " to " + CALLER + " " + callerPort,
                "permit in 17 from " + CALLER + " " + callerPort + " to " + CALLEE + " " + calleePort);
    }

    static MediaSubComponent sub(int number, List<String> flows) {
        return new MediaSubComponent(number, flows, null, 0, -1, -1);
    }

    /** A component with one sub-component and no bandwidth AVPs, as for m=application. */
    static MediaComponent component(int number, MediaType type, MediaSubComponent sub, String... codecData) {
        return new MediaComponent(number, type, List.of(sub), -1, -1, -1, -1, FlowStatus.ENABLED, List.of(codecData));
    }

    /** A component without sub-component, AVPs or Flow-Status: only the SDP speaks. */
    static MediaComponent sdpOnly(int number, MediaType type, String... codecData) {
        return new MediaComponent(number, type, List.of(), -1, -1, -1, -1, null, List.of(codecData));
    }

    /** Offer and answer Codec-Data of one media line, originating side. */
    static String[] orig(String offerMedia, String answerMedia) {
        return new String[] {"uplink\noffer\n" + crlf(offerMedia) + "\0", "downlink\nanswer\n" + crlf(answerMedia) + "\0"};
    }

    static String crlf(String lines) {
        return lines.replace("\n", "\r\n");
    }

    static FlowRequirement only(RequirementExtractor.Extraction x) {
        if (!x.ok()) {
            throw new AssertionError("extraction failed: " + x.error());
        }
        if (x.flows().size() != 1) {
            throw new AssertionError("expected one flow, got " + x.flows());
        }
        return x.flows().getFirst();
    }
}
