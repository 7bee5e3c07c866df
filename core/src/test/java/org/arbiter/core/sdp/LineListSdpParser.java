package org.arbiter.core.sdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The line-splitting {@link SdpParser} as it was before it walked the text in place: every line
 * copied into a list of strings first. Kept unchanged as the reference that the differential
 * properties ({@code SdpParserDifferentialProperties}) hold the parser to, result for result and
 * error message for error message.
 */
final class LineListSdpParser {

    private LineListSdpParser() {}

    /** Parses SDP text or a Codec-Data value; never throws. */
    public static SdpParser.Result parse(String text) {
        if (text == null) {
            return SdpParser.Result.failure(0, "no description");
        }
        Run run = new Run(lines(text));
        try {
            return run.parse();
        } catch (Fault f) {
            return SdpParser.Result.failure(f.line, f.getMessage());
        } catch (IllegalArgumentException e) {
            // a value the records refuse (control characters inside a field, for instance)
            return SdpParser.Result.failure(run.lineNo, e.getMessage());
        }
    }

    private static List<String> lines(String text) {
        int end = text.length();
        while (end > 0) {
            char c = text.charAt(end - 1);
            if (c != '\0' && c != '\r' && c != '\n') {
                break;
            }
            end--;
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start <= end && end > 0) {
            int nl = text.indexOf('\n', start);
            if (nl < 0 || nl >= end) {
                out.add(text.substring(start, end));
                break;
            }
            int stop = nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            out.add(text.substring(start, stop));
            start = nl + 1;
        }
        return out;
    }

    /** A parse fault; never leaves this class. */
    private static final class Fault extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;

        Fault(int line, String reason) {
            super(reason, null, false, false);
            this.line = line;
        }
    }

    /** One parse over the lines of one input. */
    private static final class Run {
        private final List<String> lines;
        private int next;
        private int lineNo;

        Run(List<String> lines) {
            this.lines = lines;
        }

        /** The next non-blank line, or {@code null}; sets {@link #lineNo}. */
        private String advance() throws Fault {
            while (next < lines.size()) {
                String l = lines.get(next++);
                lineNo = next;
                if (l.isBlank()) {
                    continue;
                }
                if (l.indexOf('\0') >= 0) {
                    throw new Fault(lineNo, "NUL byte inside the description (only trailing NULs are ignored)");
                }
                if (l.indexOf('\r') >= 0) {
                    throw new Fault(lineNo, "CR not followed by LF");
                }
                if (l.length() < 2 || l.charAt(1) != '=' || l.charAt(0) < 'a' || l.charAt(0) > 'z') {
                    throw new Fault(lineNo, "expected <type>=<value> with a lower-case letter as type, found '"
                            + abbreviate(l) + "'");
                }
                return l;
            }
            return null;
        }

        SdpParser.Result parse() throws Fault {
            CodecDataLabel label = header();
            String first = advance();
            if (first == null) {
                return new SdpParser.Result(SessionDescription.fragment(List.of()), label, List.of(), null);
            }
            List<Integer> mediaLines = new ArrayList<>();
            SessionDescription sd;
            if (first.charAt(0) == 'v') {
                sd = whole(first, mediaLines);
            } else if (first.charAt(0) == 'm') {
                sd = SessionDescription.fragment(media(first, mediaLines));
            } else {
                throw new Fault(lineNo, "a description starts with v= (whole SDP) or m= (media-level fragment), found '"
                        + abbreviate(first) + "'");
            }
            return new SdpParser.Result(sd, label, mediaLines, null);
        }

        private CodecDataLabel header() throws Fault {
            if (lines.isEmpty()) {
                return null;
            }
            CodecDataLabel.Link link = switch (lines.getFirst().trim().toLowerCase(Locale.ROOT)) {
                case "uplink" -> CodecDataLabel.Link.UPLINK;
                case "downlink" -> CodecDataLabel.Link.DOWNLINK;
                default -> null;
            };
            if (link == null) {
                return null;
            }
            if (lines.size() < 2) {
                throw new Fault(1, "Codec-Data header: '" + lines.getFirst().trim()
                        + "' must be followed by a line offer, answer or description (TS 29.214 §5.3.7)");
            }
            CodecDataLabel.Role role = switch (lines.get(1).trim().toLowerCase(Locale.ROOT)) {
                case "offer" -> CodecDataLabel.Role.OFFER;
                case "answer" -> CodecDataLabel.Role.ANSWER;
                case "description" -> CodecDataLabel.Role.DESCRIPTION;
                default -> null;
            };
            if (role == null) {
                throw new Fault(2, "Codec-Data header: the second line must be offer, answer or description "
                        + "(TS 29.214 §5.3.7), found '" + abbreviate(lines.get(1)) + "'");
            }
            next = 2;
            return new CodecDataLabel(link, role);
        }

        private SessionDescription whole(String vLine, List<Integer> mediaLines) throws Fault {
            if (!vLine.substring(2).trim().equals("0")) {
                throw new Fault(lineNo, "v= must be 0 (RFC 8866 §5.1), found '" + abbreviate(vLine) + "'");
            }
            String o = advance();
            if (o == null || o.charAt(0) != 'o') {
                throw new Fault(lineNo, "o= must follow v= (RFC 8866 §5)" + found(o));
            }
            Origin origin = origin(o.substring(2));
            String s = advance();
            if (s == null || s.charAt(0) != 's') {
                throw new Fault(lineNo, "s= must follow o= (RFC 8866 §5)" + found(s));
            }
            String sessionName = s.substring(2);
            Map<Character, Integer> seen = new HashMap<>();
            String information = null;
            String uri = null;
            String timeZones = null;
            String key = null;
            Connection connection = null;
            List<String> emails = new ArrayList<>();
            List<String> phones = new ArrayList<>();
            List<long[]> times = new ArrayList<>();
            List<List<String>> repeats = new ArrayList<>();
            Level level = new Level(0);
            String l;
            while ((l = advance()) != null && l.charAt(0) != 'm') {
                char t = l.charAt(0);
                // an a= line is split into name and value from the line itself
                String v = t == 'a' ? null : l.substring(2);
                if ("iuczk".indexOf(t) >= 0 && seen.putIfAbsent(t, lineNo) != null) {
                    throw new Fault(lineNo, "a second " + t + "= line at session level (the first is on line "
                            + seen.get(t) + ")");
                }
                switch (t) {
                    case 'i' -> information = v;
                    case 'u' -> uri = v;
                    case 'e' -> emails.add(v);
                    case 'p' -> phones.add(v);
                    case 'c' -> connection = connection(v);
                    case 'b' -> level.bandwidth(bandwidth(v), lineNo);
                    case 't' -> {
                        times.add(timing(v));
                        repeats.add(new ArrayList<>());
                    }
                    case 'r' -> {
                        if (times.isEmpty() || v.isBlank()) {
                            throw new Fault(lineNo, times.isEmpty() ? "r= must follow a t= line (RFC 8866 §5.10)"
                                    : "r= needs a value");
                        }
                        repeats.getLast().add(v);
                    }
                    case 'z' -> timeZones = v;
                    case 'k' -> key = v;
                    case 'a' -> level.attribute(l, lineNo);
                    case 'v', 'o', 's' -> throw new Fault(lineNo, "a second " + t + "= line (a description has one)");
                    default -> throw unknown(t);
                }
            }
            List<Timing> timings = new ArrayList<>();
            for (int i = 0; i < times.size(); i++) {
                timings.add(new Timing(times.get(i)[0], times.get(i)[1], repeats.get(i)));
            }
            List<MediaDescription> media = l == null ? List.of() : media(l, mediaLines);
            int sessionEnd = lineNo;
            try {
                return new SessionDescription(0, origin, sessionName, information, uri, emails, phones, connection,
                        level.bandwidths, timings, timeZones, key, level.attributes, media);
            } catch (IllegalArgumentException e) {
                throw new Fault(sessionEnd, e.getMessage());
            }
        }

        /** Media descriptions from the {@code m=} line already read to the end of the input. */
        private List<MediaDescription> media(String mLine, List<Integer> mediaLines) throws Fault {
            List<MediaDescription> out = new ArrayList<>();
            String l = mLine;
            while (l != null) {
                int mAt = lineNo;
                mediaLines.add(mAt);
                String[] m = SdpSyntax.fields(l, 2);
                if (m.length < 4) {
                    throw new Fault(mAt, "m= needs <media> <port> <proto> <fmt>..., found '" + abbreviate(l) + "'");
                }
                if (!SdpSyntax.isToken(m[0])) {
                    throw new Fault(mAt, "m= media '" + m[0] + "' is not a token");
                }
                String portText = m[1];
                Integer count = null;
                int slash = portText.indexOf('/');
                if (slash >= 0) {
                    long c = SdpSyntax.digits(portText.substring(slash + 1));
                    if (c < 1 || c > 65535) {
                        throw new Fault(mAt, "m= number of ports '" + portText.substring(slash + 1)
                                + "' is not a number 1..65535");
                    }
                    count = (int) c;
                    portText = portText.substring(0, slash);
                }
                long port = SdpSyntax.digits(portText);
                if (port < 0 || port > 65535) {
                    throw new Fault(mAt, "m= port '" + portText + "' is not a number 0..65535");
                }
                String information = null;
                String key = null;
                List<Connection> connections = new ArrayList<>();
                Level level = new Level(mAt);
                while ((l = advance()) != null && l.charAt(0) != 'm') {
                    char t = l.charAt(0);
                    // an a= line is split into name and value from the line itself
                    String v = t == 'a' ? null : l.substring(2);
                    switch (t) {
                        case 'i' -> information = once(information, v, 'i', mAt);
                        case 'c' -> connections.add(connection(v));
                        case 'b' -> level.bandwidth(bandwidth(v), lineNo);
                        case 'k' -> key = once(key, v, 'k', mAt);
                        case 'a' -> level.attribute(l, lineNo);
                        case 'v', 'o', 's', 'u', 'e', 'p', 't', 'r', 'z' -> throw new Fault(lineNo, t
                                + "= is a session-level line; it cannot follow the m= line of line " + mAt);
                        default -> throw unknown(t);
                    }
                }
                try {
                    out.add(new MediaDescription(m[0], (int) port, count, m[2],
                            Arrays.asList(m).subList(3, m.length), information, connections, level.bandwidths, key,
                            level.attributes));
                } catch (IllegalArgumentException e) {
                    throw new Fault(mAt, e.getMessage());
                }
            }
            return out;
        }

        private String once(String current, String value, char type, int mAt) throws Fault {
            if (current != null) {
                throw new Fault(lineNo, "a second " + type + "= line in the media description of line " + mAt);
            }
            return value;
        }

        private Fault unknown(char t) {
            return new Fault(lineNo, "unknown line type " + t + "= (RFC 8866 §5 defines v o s i u e p c b t r z k a m)");
        }

        private Origin origin(String v) throws Fault {
            String[] f = fields(v);
            if (f.length != 6) {
                throw new Fault(lineNo, "o= needs 6 fields <username> <sess-id> <sess-version> <nettype> <addrtype> "
                        + "<unicast-address>, found " + f.length);
            }
            return new Origin(f[0], f[1], f[2], f[3], f[4], f[5]);
        }

        private Connection connection(String v) throws Fault {
            String[] f = fields(v);
            if (f.length != 3 || !SdpSyntax.isToken(f[0]) || !SdpSyntax.isToken(f[1])) {
                throw new Fault(lineNo, "c= needs <nettype> <addrtype> <connection-address> (RFC 8866 §5.7), found '"
                        + abbreviate(v) + "'");
            }
            return new Connection(f[0], f[1], f[2]);
        }

        private Bandwidth bandwidth(String v) throws Fault {
            int colon = v.indexOf(':');
            String type = colon < 0 ? v : v.substring(0, colon).trim();
            long value = colon < 0 ? -1 : SdpSyntax.digits(v.substring(colon + 1).trim());
            if (!SdpSyntax.isToken(type) || value < 0) {
                throw new Fault(lineNo, "b= needs <bwtype>:<bandwidth> with a decimal bandwidth of at most "
                        + SdpSyntax.MAX_DIGITS + " digits (RFC 8866 §5.8), found '" + abbreviate(v) + "'");
            }
            return new Bandwidth(type, value);
        }

        private long[] timing(String v) throws Fault {
            String[] f = fields(v);
            long start = f.length == 2 ? SdpSyntax.digits(f[0]) : -1;
            long stop = f.length == 2 ? SdpSyntax.digits(f[1]) : -1;
            if (start < 0 || stop < 0) {
                throw new Fault(lineNo, "t= needs <start-time> <stop-time> in decimal (RFC 8866 §5.9), found '"
                        + abbreviate(v) + "'");
            }
            return new long[] {start, stop};
        }

        private String found(String l) {
            return l == null ? ", found the end of the input" : ", found '" + abbreviate(l) + "'";
        }

        /**
         * The attributes and bandwidths of one level, with the checks that span lines. A level has
         * a handful of lines, so a repeat is found by looking back over them rather than through
         * maps built for every level.
         */
        private final class Level {
            /** The line of the level's m=, 0 at session level. */
            final int mediaLine;
            final List<Attribute> attributes = new ArrayList<>();
            final List<Bandwidth> bandwidths = new ArrayList<>();
            /** The line of each of {@link #attributes}, in the same order. */
            private int[] attributeLines = new int[8];
            /** The line of each of {@link #bandwidths}, in the same order. */
            private int[] bandwidthLines = new int[4];
            int directionLine;
            String direction;

            Level(int mediaLine) {
                this.mediaLine = mediaLine;
            }

            /** Where the level is, for errors. */
            String where() {
                return mediaLine == 0 ? "at session level" : "in the media description of line " + mediaLine;
            }

            void bandwidth(Bandwidth b, int at) throws Fault {
                // types are tokens, plain ASCII, where ignoring case is comparing upper-cased forms
                for (int i = 0; i < bandwidths.size(); i++) {
                    if (bandwidths.get(i).type().equalsIgnoreCase(b.type())) {
                        throw new Fault(at, "b=" + b.type() + " is given twice " + where() + " (first on line "
                                + bandwidthLines[i] + ")");
                    }
                }
                if (bandwidths.size() == bandwidthLines.length) {
                    bandwidthLines = Arrays.copyOf(bandwidthLines, bandwidthLines.length * 2);
                }
                bandwidthLines[bandwidths.size()] = at;
                bandwidths.add(b);
            }

            /** An {@code a=} line, {@code line} with its type and {@code =}. */
            void attribute(String line, int at) throws Fault {
                int colon = line.indexOf(':', 2);
                String name = colon < 0 ? line.substring(2) : line.substring(2, colon);
                String value = colon < 0 ? null : line.substring(colon + 1);
                if (!SdpSyntax.isToken(name)) {
                    throw new Fault(at, "attribute name '" + abbreviate(name) + "' is not a token (RFC 8866 §5.13)");
                }
                Attribute a = new Attribute(name, value);
                MediaDirection d = MediaDirection.fromAttributeName(name);
                boolean qos = d == null && QosAttributes.covers(name);
                String reason = d != null ? checkDirection(a) : qos ? QosAttributes.check(a) : checkKnown(a);
                if (reason != null) {
                    throw new Fault(at, reason);
                }
                if (d != null) {
                    if (direction != null) {
                        throw new Fault(at, "conflicting direction attributes " + where() + ": a=" + direction
                                + " (line " + directionLine + ") and a=" + name);
                    }
                    direction = name;
                    directionLine = at;
                } else if (qos ? !QosAttributes.isPrecondition(name) : name.equals("maxprate")) {
                    for (int i = 0; i < attributes.size(); i++) {
                        if (attributes.get(i).name().equals(name)) {
                            throw new Fault(at, "a=" + name + " is given twice " + where() + " (first on line "
                                    + attributeLines[i] + ")");
                        }
                    }
                }
                if (attributes.size() == attributeLines.length) {
                    attributeLines = Arrays.copyOf(attributeLines, attributeLines.length * 2);
                }
                attributeLines[attributes.size()] = at;
                attributes.add(a);
            }
        }
    }

    /** The grammar of a direction attribute, or {@code null} when well formed. */
    private static String checkDirection(Attribute a) {
        return a.value() == null ? null : "a=" + a.name() + " takes no value (RFC 8866 §6.7)";
    }

    /**
     * The grammar of the other attributes Arbiter interprets (neither a direction nor one of
     * {@link QosAttributes}), or {@code null} when well formed.
     */
    private static String checkKnown(Attribute a) {
        return switch (a.name()) {
            case "rtpmap" -> rtpmap(a.valueOrEmpty()) ? null : "a=rtpmap value '" + abbreviate(a.valueOrEmpty())
                    + "' is not '<payload type> <encoding name>/<clock rate>[/<parameters>]' (RFC 8866 §6.6)";
            case "maxprate" -> rate(a.valueOrEmpty().trim()) ? null : "a=maxprate value '" + abbreviate(a.valueOrEmpty())
                    + "' is not a packet rate (digits with optional decimals, RFC 3890 §6.3)";
            default -> null;
        };
    }

    /**
     * An {@code a=rtpmap} value: two fields, as {@link SdpSyntax#fields} splits them, a payload
     * type in digits and {@code <encoding name>/<clock rate>[/<parameters>]} with a token as name and
     * a clock rate above 0. Read in place: every audio description has several of these lines.
     */
    static boolean rtpmap(String v) {
        int start = 0;
        int end = v.length();
        while (start < end && v.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && v.charAt(end - 1) <= ' ') {
            end--;
        }
        int space = v.indexOf(' ', start);
        if (space < 0 || space >= end || SdpSyntax.digits(v, start, space) < 0) {
            return false;
        }
        // the second field: after the run of spaces, up to the end (v.charAt(end - 1) is not blank)
        int enc = space;
        while (v.charAt(enc) == ' ') {
            enc++;
        }
        if (v.indexOf(' ', enc) >= 0 && v.indexOf(' ', enc) < end) {
            return false;
        }
        int first = v.indexOf('/', enc);
        if (first < 0 || first >= end) {
            return false;
        }
        int second = v.indexOf('/', first + 1);
        if (second >= end) {
            second = -1;
        }
        if (second >= 0 && (second == end - 1 || (v.indexOf('/', second + 1) >= 0 && v.indexOf('/', second + 1) < end))) {
            return false;
        }
        return SdpSyntax.isToken(v, enc, first) && SdpSyntax.digits(v, first + 1, second < 0 ? end : second) > 0;
    }

    private static boolean rate(String v) {
        int dot = v.indexOf('.');
        if (dot < 0) {
            return SdpSyntax.digits(v) >= 0;
        }
        return SdpSyntax.digits(v.substring(0, dot)) >= 0 && SdpSyntax.digits(v.substring(dot + 1)) >= 0;
    }

    /** Fields separated by one or more spaces; leading and trailing blanks ignored. */
    private static String[] fields(String v) {
        return SdpSyntax.fields(v);
    }

    private static String abbreviate(String s) {
        String clean = s.replace("\0", "\\0").replace("\r", "\\r");
        return clean.length() <= 60 ? clean : clean.substring(0, 57) + "...";
    }
}
