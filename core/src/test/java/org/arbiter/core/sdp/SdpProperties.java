package org.arbiter.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SdpProperties {

    @Property(tries = 500)
    void parsingThePrintGivesTheSameDescription(@ForAll("descriptions") SessionDescription sd) {
        SdpParser.Result r = SdpParser.parse(sd.print());

        assertThat(r.error()).isNull();
        assertThat(r.description()).isEqualTo(sd);
    }

    @Property(tries = 300)
    void parsingTheCodecDataPrintGivesTheSameDescriptionAndLabel(@ForAll("fragments") SessionDescription sd,
                                                                @ForAll CodecDataLabel.Link link,
                                                                @ForAll CodecDataLabel.Role role) {
        CodecDataLabel label = new CodecDataLabel(link, role);

        SdpParser.Result r = SdpParser.parse(sd.printCodecData(label));

        assertThat(r.label()).isEqualTo(label);
        assertThat(r.description()).isEqualTo(sd);
    }

    @Property(tries = 1000)
    void anyTextGivesADescriptionOrAnError(@ForAll String text) {
        SdpParser.Result r = SdpParser.parse(text);

        assertThat(r.ok()).isEqualTo(r.description() != null);
    }

    @Property(tries = 1000)
    void anyLinesGiveADescriptionOrAnError(@ForAll("sdpLikeText") String text) {
        SdpParser.Result r = SdpParser.parse(text);

        assertThat(r.ok()).isEqualTo(r.description() != null);
        if (!r.ok()) {
            assertThat(r.error().line()).isBetween(0, text.split("\n", -1).length);
        }
    }

    @Provide
    Arbitrary<String> sdpLikeText() {
        Arbitrary<String> line = Combinators.combine(
                Arbitraries.of("v", "o", "s", "i", "c", "b", "t", "r", "m", "a", "k", "z", "x", "uplink", "offer", ""),
                Arbitraries.of("=", "= ", ":", "=0", "=IN IP4 1.2.3.4", "=AS:64", "=audio 1 RTP/AVP 0",
                        "=qos-latency:", "=sendrecv", "=- 1 1 IN IP4 h", "=0 0"),
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.of("\r\n", "\n", "\r", "\0", ""))
                .as((t, s, v, e) -> t + s + v + e);
        return line.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<SessionDescription> descriptions() {
        return Arbitraries.oneOf(fragments(), wholes());
    }

    @Provide
    Arbitrary<SessionDescription> fragments() {
        return media().list().ofMaxSize(3).map(SessionDescription::fragment);
    }

    private Arbitrary<SessionDescription> wholes() {
        Arbitrary<Origin> origin = Combinators.combine(nonWs(), nonWs(), nonWs(), nonWs(), nonWs(), nonWs())
                .as(Origin::new);
        Arbitrary<Timing> timing = Combinators.combine(Arbitraries.longs().between(0, 9_999_999_999L),
                Arbitraries.longs().between(0, 9_999_999_999L), text().filter(t -> !t.isBlank()).list().ofMaxSize(2))
                .as(Timing::new);
        List<Arbitrary<Object>> parts = List.of(
                any(origin), any(text()), any(text().injectNull(0.5)), any(text().injectNull(0.5)),
                any(text().list().ofMaxSize(2)), any(text().list().ofMaxSize(2)), any(connection().injectNull(0.5)),
                any(bandwidths()), any(timing.list().ofMaxSize(2)), any(text().injectNull(0.7)),
                any(text().injectNull(0.7)), any(attributes()), any(media().list().ofMaxSize(3)));
        return Combinators.combine(parts).as(v -> new SessionDescription(0, (Origin) v.get(0), (String) v.get(1),
                (String) v.get(2), (String) v.get(3), list(v.get(4)), list(v.get(5)), (Connection) v.get(6),
                list(v.get(7)), list(v.get(8)), (String) v.get(9), (String) v.get(10), list(v.get(11)),
                list(v.get(12))));
    }

    private Arbitrary<MediaDescription> media() {
        List<Arbitrary<Object>> parts = List.of(
                any(token()), any(Arbitraries.integers().between(0, 65535)),
                any(Arbitraries.integers().between(1, 65535).injectNull(0.7)), any(nonWs()),
                any(nonWs().list().ofMinSize(1).ofMaxSize(4)), any(text().injectNull(0.7)),
                any(connection().list().ofMaxSize(2)), any(bandwidths()), any(text().injectNull(0.8)),
                any(attributes()));
        return Combinators.combine(parts).as(v -> new MediaDescription((String) v.get(0), (Integer) v.get(1),
                (Integer) v.get(2), (String) v.get(3), list(v.get(4)), (String) v.get(5), list(v.get(6)),
                list(v.get(7)), (String) v.get(8), list(v.get(9))));
    }

    /** Attributes of one level: unknown ones, and known ones with valid values, each at most once. */
    private Arbitrary<List<Attribute>> attributes() {
        Arbitrary<Attribute> unknown = Combinators.combine(token(), text().injectNull(0.3))
                .as((n, v) -> new Attribute("x-" + n, v));
        Arbitrary<Set<Attribute>> known = Arbitraries.of(
                Attribute.flag("sendrecv"), new Attribute("qos-latency", "40"), new Attribute("qos-jitter", "5"),
                new Attribute("qos-loss", "0.5"), new Attribute("qos-class", "fps-game"),
                new Attribute("qos-security", "integrity"), new Attribute("game-format", "q3"),
                new Attribute("curr", "qos local none"), new Attribute("des", "qos mandatory e2e sendrecv"),
                new Attribute("rtpmap", "96 opus/48000/2"), new Attribute("maxprate", "50.5")).set().ofMaxSize(5);
        return Combinators.combine(unknown.list().ofMaxSize(4), known, Arbitraries.randoms()).as((u, k, rnd) -> {
            List<Attribute> all = new ArrayList<>(u);
            all.addAll(k);
            Collections.shuffle(all, rnd);
            return all;
        });
    }

    private Arbitrary<List<Bandwidth>> bandwidths() {
        Arbitrary<Bandwidth> one = Combinators.combine(token(), Arbitraries.longs().between(0, 99_999_999_999_999_999L))
                .as(Bandwidth::new);
        return one.list().ofMaxSize(3).map(list -> {
            Set<String> types = new HashSet<>();
            return list.stream().filter(b -> types.add(b.type().toUpperCase(Locale.ROOT))).toList();
        });
    }

    private Arbitrary<Connection> connection() {
        return Combinators.combine(token(), token(), nonWs()).as(Connection::new);
    }

    private Arbitrary<String> token() {
        return Arbitraries.strings().withChars("abcXYZ019!#$%&'*+-.^_`{|}~").ofMinLength(1).ofMaxLength(8);
    }

    private Arbitrary<String> nonWs() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(8);
    }

    private Arbitrary<String> text() {
        return Arbitraries.strings().excludeChars('\0', '\r', '\n').ofMaxLength(16);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Object o) {
        return (List<T>) o;
    }

    private static Arbitrary<Object> any(Arbitrary<?> a) {
        return a.map(x -> x);
    }
}
