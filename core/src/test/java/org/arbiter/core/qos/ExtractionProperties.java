package org.arbiter.core.qos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.arbiter.core.sdp.SdpVectors;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.MediaType;

class ExtractionProperties {

    private static RequirementExtractor.Extraction extract(List<String> codecData, List<String> flows) {
        MediaComponent mc = new MediaComponent(3, MediaType.APPLICATION,
                List.of(new MediaSubComponent(3, flows, null, 0, -1, -1)), -1, -1, -1, -1, FlowStatus.ENABLED, codecData);
        return RequirementExtractor.extract(Rx.request(Rx.CALLER, mc));
    }

    private static void assertFlowsOrError(RequirementExtractor.Extraction x) {
        assertThat(x.ok() ? !x.flows().isEmpty() : x.flows().isEmpty() && !x.error().isEmpty()).isTrue();
    }

    @Property(tries = 1000)
    void anyCodecDataGivesFlowsOrAnError(@ForAll("headers") String header, @ForAll String body) {
        assertFlowsOrError(extract(List.of(header + body), List.of()));
    }

    @Property(tries = 1000)
    void anyBytesAsCodecDataGiveFlowsOrAnError(@ForAll byte[] bytes) {
        String asLatin1 = new String(bytes, StandardCharsets.ISO_8859_1);
        String asUtf8 = new String(bytes, StandardCharsets.UTF_8);

        assertFlowsOrError(extract(List.of("uplink\noffer\n" + asLatin1, "downlink\nanswer\n" + asUtf8), List.of()));
    }

    @Property(tries = 1000)
    void mutatedKamailioCodecDataGivesFlowsOrAnError(@ForAll("mutations") String codecData) {
        assertFlowsOrError(extract(List.of(codecData, SdpVectors.KAMAILIO_GAME_ANSWER), List.of()));
    }

    @Property(tries = 1000)
    void anyFlowDescriptionGivesFlowsOrAnError(@ForAll("ruleLike") String rule) {
        assertFlowsOrError(extract(List.of(SdpVectors.KAMAILIO_GAME_OFFER), List.of(rule)));
    }

    @Property(tries = 300)
    void anyTextToTheExplainerGivesAnExplanationOrAProblem(@ForAll String offer, @ForAll String answer) {
        QosExplainer.Result r = QosExplainer.fromSdp(new QosExplainer.Source("o", offer),
                new QosExplainer.Source("a", answer), QosExplainer.Options.standard());

        assertThat(r.ok()).isEqualTo(r.explanation() != null);
    }

    @Property(tries = 500)
    void extractionGivesTheRequirementsOfTheFullAnalysis(@ForAll("mutations") String offer,
                                                         @ForAll("flowSets") List<String> flows) {
        MediaComponent mc = new MediaComponent(3, MediaType.APPLICATION,
                List.of(new MediaSubComponent(3, flows, null, 0, -1, -1)), -1, -1, -1, -1, FlowStatus.ENABLED,
                List.of(offer, SdpVectors.KAMAILIO_GAME_ANSWER));
        var request = Rx.request(Rx.CALLER, mc);

        RequirementExtractor.Extraction x = RequirementExtractor.extract(request);

        assertThat(x).isEqualTo(RequirementExtractor.analyze(request, MediaDefaults.builtIn(), Negotiation.Cap.NONE)
                .extraction());
    }

    @Provide
    Arbitrary<List<String>> flowSets() {
        return Arbitraries.oneOf(Arbitraries.just(List.of()), ruleLike().map(List::of),
                Arbitraries.just(List.of("permit out 17 from 192.0.2.20 26002 to 10.0.7.7 16002")));
    }

    @Provide
    Arbitrary<String> headers() {
        return Arbitraries.of("", "uplink\noffer\n", "downlink\nanswer\n", "uplink\ndescription\n", "uplink\n",
                "uplink\noffer\nm=application 1 RTP/AVP 98\r\n", "uplink\noffer\nv=0\r\n");
    }

    @Provide
    Arbitrary<String> mutations() {
        String base = SdpVectors.KAMAILIO_GAME_OFFER;
        return Combinators.combine(Arbitraries.integers().between(0, base.length() - 1), Arbitraries.chars(),
                        Arbitraries.integers().between(0, 3))
                .as((at, c, len) -> base.substring(0, at) + c + base.substring(Math.min(base.length(), at + len)));
    }

    @Provide
    Arbitrary<String> ruleLike() {
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.of("permit", "deny", "in", "out", "17", "ip", "from", "to", "any", "assigned", "!10.0.0.1",
                        "10.0.0.1/33", "::1", "1-2", "5060,5061", "70000", "-", ""),
                Arbitraries.strings().ofMaxLength(6));
        return word.list().ofMaxSize(10).map(w -> String.join(" ", w));
    }
}
