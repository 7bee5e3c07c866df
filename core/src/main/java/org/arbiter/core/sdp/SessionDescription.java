package org.arbiter.core.sdp;

import java.util.List;
import java.util.Objects;

/**
 * A session description (RFC 8866 §5), or a media-level fragment as Diameter Rx carries it in
 * Codec-Data (TS 29.214 §5.3.7): a fragment has no session-level part ({@link #fragment()}), only
 * media descriptions.
 *
 * <p>{@link #print()} writes the fields in the order of RFC 8866 §5 with CRLF line ends;
 * {@code SdpParser.parse(sd.print())} gives back an equal description. Values are kept as written,
 * unknown attributes included.
 *
 * @param version the {@code v=} value (always 0), or {@code null} for a fragment
 * @param origin the {@code o=} line, {@code null} for a fragment
 * @param sessionName the {@code s=} text, {@code null} for a fragment
 * @param information the session {@code i=} text, or {@code null}
 * @param uri the {@code u=} text, or {@code null}
 * @param emails the {@code e=} lines
 * @param phones the {@code p=} lines
 * @param connection the session {@code c=} line, or {@code null}
 * @param bandwidths the session {@code b=} lines
 * @param timings the {@code t=} lines with their {@code r=} lines
 * @param timeZones the {@code z=} text, or {@code null}
 * @param key the session {@code k=} text, or {@code null}
 * @param attributes the session {@code a=} lines
 * @param media the media descriptions, in order (an m-line's position is its Media-Component-Number)
 * @throws IllegalArgumentException when a fragment has session-level lines, a whole description
 *     lacks {@code o=} or {@code s=}, or a value cannot be printed as one line
 */
public record SessionDescription(
        Integer version,
        Origin origin,
        String sessionName,
        String information,
        String uri,
        List<String> emails,
        List<String> phones,
        Connection connection,
        List<Bandwidth> bandwidths,
        List<Timing> timings,
        String timeZones,
        String key,
        List<Attribute> attributes,
        List<MediaDescription> media) {

    public SessionDescription {
        emails = List.copyOf(Objects.requireNonNull(emails, "emails"));
        phones = List.copyOf(Objects.requireNonNull(phones, "phones"));
        bandwidths = List.copyOf(Objects.requireNonNull(bandwidths, "bandwidths"));
        timings = List.copyOf(Objects.requireNonNull(timings, "timings"));
        attributes = List.copyOf(Objects.requireNonNull(attributes, "attributes"));
        media = List.copyOf(Objects.requireNonNull(media, "media"));
        SdpSyntax.optionalText("s=", sessionName);
        SdpSyntax.optionalText("i=", information);
        SdpSyntax.optionalText("u=", uri);
        SdpSyntax.optionalText("z=", timeZones);
        SdpSyntax.optionalText("k=", key);
        for (int i = 0; i < emails.size(); i++) {
            SdpSyntax.optionalText("e=", emails.get(i));
        }
        for (int i = 0; i < phones.size(); i++) {
            SdpSyntax.optionalText("p=", phones.get(i));
        }
        if (version == null) {
            if (origin != null || sessionName != null || information != null || uri != null || !emails.isEmpty()
                    || !phones.isEmpty() || connection != null || !bandwidths.isEmpty() || !timings.isEmpty()
                    || timeZones != null || key != null || !attributes.isEmpty()) {
                throw new IllegalArgumentException("a media-level fragment (no v=) has no session-level lines");
            }
        } else {
            if (version != 0) {
                throw SdpSyntax.invalid("v=", version, "only version 0 exists");
            }
            Objects.requireNonNull(origin, "origin (o=) of a whole description");
            Objects.requireNonNull(sessionName, "sessionName (s=) of a whole description");
        }
    }

    /** A media-level fragment: the media descriptions without a session part. */
    public static SessionDescription fragment(List<MediaDescription> media) {
        return new SessionDescription(null, null, null, null, null, List.of(), List.of(), null, List.of(), List.of(),
                null, null, List.of(), media);
    }

    /** True for a media-level fragment (Codec-Data), false for a whole description. */
    public boolean fragment() {
        return version == null;
    }

    /** The first session-level attribute with this name, or {@code null}. */
    public Attribute attribute(String name) {
        for (int i = 0; i < attributes.size(); i++) {
            Attribute a = attributes.get(i);
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** The session-level direction attribute, or {@code null} when there is none. */
    public MediaDirection sessionDirection() {
        for (int i = 0; i < attributes.size(); i++) {
            MediaDirection d = MediaDirection.fromAttributeName(attributes.get(i).name());
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    /**
     * The direction of a media description: its own attribute, else the session's, else
     * {@code sendrecv} (RFC 8866 §6.7); {@code inactive} when the port is 0.
     */
    public MediaDirection direction(MediaDescription m) {
        if (m.rejected()) {
            return MediaDirection.INACTIVE;
        }
        MediaDirection d = m.direction();
        if (d == null) {
            d = sessionDirection();
        }
        return d == null ? MediaDirection.SENDRECV : d;
    }

    /** The connection that applies to a media description: its own, else the session's, or {@code null}. */
    public Connection connectionOf(MediaDescription m) {
        Connection c = m.connection();
        return c != null ? c : connection;
    }

    /** The extended QoS attributes of a media description: session-level ones overridden by its own. */
    public QosAttributes qosOf(MediaDescription m) {
        QosAttributes own = QosAttributes.of(m.attributes());
        return attributes.isEmpty() ? own : QosAttributes.of(attributes).overriddenBy(own);
    }

    /** The same description with other media. */
    public SessionDescription withMedia(List<MediaDescription> newMedia) {
        return new SessionDescription(version, origin, sessionName, information, uri, emails, phones, connection,
                bandwidths, timings, timeZones, key, attributes, newMedia);
    }

    /** The description as SDP text: one field per line, each ending in CRLF. */
    public String print() {
        StringBuilder out = new StringBuilder();
        if (version != null) {
            MediaDescription.line(out, 'v', version.toString());
            MediaDescription.line(out, 'o', origin.toString());
            MediaDescription.line(out, 's', sessionName);
            if (information != null) {
                MediaDescription.line(out, 'i', information);
            }
            if (uri != null) {
                MediaDescription.line(out, 'u', uri);
            }
            emails.forEach(e -> MediaDescription.line(out, 'e', e));
            phones.forEach(p -> MediaDescription.line(out, 'p', p));
            if (connection != null) {
                MediaDescription.line(out, 'c', connection.toString());
            }
            bandwidths.forEach(b -> MediaDescription.line(out, 'b', b.toString()));
            for (Timing t : timings) {
                MediaDescription.line(out, 't', t.start() + " " + t.stop());
                t.repeats().forEach(r -> MediaDescription.line(out, 'r', r));
            }
            if (timeZones != null) {
                MediaDescription.line(out, 'z', timeZones);
            }
            if (key != null) {
                MediaDescription.line(out, 'k', key);
            }
            attributes.forEach(a -> MediaDescription.line(out, 'a', a.toString()));
        }
        media.forEach(m -> m.print(out));
        return out.toString();
    }

    /**
     * The description as a Codec-Data value the way Kamailio's ims_qos writes it: the two header
     * lines ending in LF, the SDP lines ending in CRLF, and a trailing NUL byte.
     */
    public String printCodecData(CodecDataLabel label) {
        return label.header() + print() + '\0';
    }
}
