package org.arbiter.core.sdp;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One media description (RFC 8866 §5.14): the {@code m=} line and the {@code i=}, {@code c=},
 * {@code b=}, {@code k=} and {@code a=} lines that follow it, in the order written.
 *
 * @param media the media token ({@code audio}, {@code video}, {@code application}...)
 * @param port the transport port, 0 for a rejected or disabled stream (RFC 3264 §6)
 * @param portCount the number of ports of {@code <port>/<number of ports>}, or {@code null}
 * @param proto the transport protocol ({@code RTP/AVP}, {@code UDP}...)
 * @param formats the media formats, at least one
 * @param information the {@code i=} text, or {@code null}
 * @param connections the {@code c=} lines (several for layered multicast)
 * @param bandwidths the {@code b=} lines
 * @param key the {@code k=} text, or {@code null}
 * @param attributes the {@code a=} lines
 * @throws IllegalArgumentException for a value the printer could not write as one valid line
 */
public record MediaDescription(
        String media,
        int port,
        Integer portCount,
        String proto,
        List<String> formats,
        String information,
        List<Connection> connections,
        List<Bandwidth> bandwidths,
        String key,
        List<Attribute> attributes) {

    public MediaDescription {
        SdpSyntax.requireToken("media", Objects.requireNonNull(media, "media"));
        if (port < 0 || port > 65535) {
            throw SdpSyntax.invalid("port", port, "must be 0..65535");
        }
        if (portCount != null && portCount < 1) {
            throw SdpSyntax.invalid("number of ports", portCount, "must be >= 1");
        }
        SdpSyntax.requireNonWs("proto", Objects.requireNonNull(proto, "proto"));
        formats = List.copyOf(Objects.requireNonNull(formats, "formats"));
        if (formats.isEmpty()) {
            throw SdpSyntax.invalid("formats of m=" + media, formats, "at least one format is required");
        }
        for (int i = 0; i < formats.size(); i++) {
            SdpSyntax.requireNonWs("format", formats.get(i));
        }
        SdpSyntax.optionalText("i=", information);
        connections = List.copyOf(Objects.requireNonNull(connections, "connections"));
        bandwidths = List.copyOf(Objects.requireNonNull(bandwidths, "bandwidths"));
        SdpSyntax.optionalText("k=", key);
        attributes = List.copyOf(Objects.requireNonNull(attributes, "attributes"));
    }

    /** A media description with only an {@code m=} line and the given attributes. */
    public static MediaDescription of(String media, int port, String proto, List<String> formats,
                                      List<Bandwidth> bandwidths, List<Attribute> attributes) {
        return new MediaDescription(media, port, null, proto, formats, null, List.of(), bandwidths, null, attributes);
    }

    /** True when the port is 0: the stream is rejected or disabled. */
    public boolean rejected() {
        return port == 0;
    }

    /** True for the RTP profiles ({@code RTP/AVP}, {@code RTP/SAVPF}...). */
    public boolean rtp() {
        return proto.regionMatches(true, 0, "RTP/", 0, 4);
    }

    /** The first attribute with this name, or {@code null}. */
    public Attribute attribute(String name) {
        // indexed: an iterator over the list is an allocation on a path taken for every request
        for (int i = 0; i < attributes.size(); i++) {
            Attribute a = attributes.get(i);
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** The first bandwidth of this type (case-insensitive), or {@code null}. */
    public Bandwidth bandwidth(String type) {
        for (int i = 0; i < bandwidths.size(); i++) {
            Bandwidth b = bandwidths.get(i);
            if (b.is(type)) {
                return b;
            }
        }
        return null;
    }

    /** The media-level direction attribute, or {@code null} when there is none. */
    public MediaDirection direction() {
        for (int i = 0; i < attributes.size(); i++) {
            MediaDirection d = MediaDirection.fromAttributeName(attributes.get(i).name());
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    /** The first media-level connection, or {@code null}. */
    public Connection connection() {
        return connections.isEmpty() ? null : connections.getFirst();
    }

    /**
     * The encoding name of the preferred (first) format: from its {@code a=rtpmap}, else from the
     * static RTP payload types of RFC 3551 for an RTP profile, else the format itself; lower case.
     */
    public String codec() {
        String first = formats.getFirst();
        for (int i = 0; i < attributes.size(); i++) {
            Attribute a = attributes.get(i);
            if (a.name().equals("rtpmap") && a.value() != null) {
                String v = a.value().trim();
                int sp = v.indexOf(' ');
                if (sp > 0 && v.substring(0, sp).equals(first)) {
                    String enc = v.substring(sp + 1).trim();
                    int slash = enc.indexOf('/');
                    return (slash < 0 ? enc : enc.substring(0, slash)).toLowerCase(Locale.ROOT);
                }
            }
        }
        if (rtp()) {
            String known = switch (first) {
                case "0" -> "pcmu";
                case "3" -> "gsm";
                case "4" -> "g723";
                case "8" -> "pcma";
                case "9" -> "g722";
                case "15" -> "g728";
                case "18" -> "g729";
                case "26" -> "jpeg";
                case "31" -> "h261";
                case "34" -> "h263";
                default -> null;
            };
            if (known != null) {
                return known;
            }
        }
        return first.toLowerCase(Locale.ROOT);
    }

    /** The {@code m=} value: {@code audio 49170 RTP/AVP 0 8}. */
    public String mediaLine() {
        StringBuilder sb = new StringBuilder(media).append(' ').append(port);
        if (portCount != null) {
            sb.append('/').append(portCount);
        }
        sb.append(' ').append(proto);
        formats.forEach(f -> sb.append(' ').append(f));
        return sb.toString();
    }

    /** The same description with another port (0 rejects the stream). */
    public MediaDescription withPort(int newPort) {
        return new MediaDescription(media, newPort, portCount, proto, formats, information, connections, bandwidths,
                key, attributes);
    }

    /** The same description with other {@code b=} lines. */
    public MediaDescription withBandwidths(List<Bandwidth> newBandwidths) {
        return new MediaDescription(media, port, portCount, proto, formats, information, connections, newBandwidths,
                key, attributes);
    }

    /** The same description with other {@code a=} lines. */
    public MediaDescription withAttributes(List<Attribute> newAttributes) {
        return new MediaDescription(media, port, portCount, proto, formats, information, connections, bandwidths,
                key, newAttributes);
    }

    void print(StringBuilder out) {
        line(out, 'm', mediaLine());
        if (information != null) {
            line(out, 'i', information);
        }
        connections.forEach(c -> line(out, 'c', c.toString()));
        bandwidths.forEach(b -> line(out, 'b', b.toString()));
        if (key != null) {
            line(out, 'k', key);
        }
        attributes.forEach(a -> line(out, 'a', a.toString()));
    }

    static void line(StringBuilder out, char type, String value) {
        out.append(type).append('=').append(value).append("\r\n");
    }

    /** The description as SDP lines, each ending in CRLF. */
    public String print() {
        StringBuilder sb = new StringBuilder();
        print(sb);
        return sb.toString();
    }
}
