package org.arbiter.core.sdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Parses SDP text (RFC 8866) into a {@link SessionDescription}.
 *
 * <p><b>Accepted input.</b> A whole description (starting with {@code v=0}) or a media-level
 * fragment (starting with {@code m=}, as in Codec-Data), optionally preceded by the two Codec-Data
 * header lines ({@code uplink}/{@code downlink}, then {@code offer}/{@code answer}/{@code description},
 * TS 29.214 §5.3.7). Lines may end in CRLF or LF; blank lines are skipped; NUL bytes, CRs and LFs at
 * the very end (Kamailio's ims_qos appends a NUL) are ignored.
 *
 * <p><b>Strict where it matters.</b> Every line is {@code <letter>=<value>}; {@code v=}, {@code o=}
 * and {@code s=} open a whole description in that order; the session-level lines come before the
 * first {@code m=}; {@code m=}, {@code o=}, {@code c=}, {@code t=} and {@code b=} have their RFC 8866
 * shape; the QoS grammar ({@link QosAttributes}), {@code a=rtpmap}, {@code a=maxprate} and the
 * direction attributes are checked; one level may not carry two direction attributes, two
 * bandwidths of the same type or a single-valued QoS attribute twice. Departures from RFC 8866, to
 * be tolerant: the other session-level lines may come in any order, {@code t=} is optional, and
 * fields may be separated by several spaces. Unknown attributes are kept as written; an unknown line
 * type is refused (RFC 8866 §5 allows either).
 *
 * <p><b>Errors.</b> The first fault found is returned as {@link SdpError} with its 1-based line
 * number (counting the Codec-Data header lines) and a reason; the parser never throws for any
 * input. Pure and thread-safe.
 */
public final class SdpParser {

    private SdpParser() {}

    /**
     * The outcome: a description or an error.
     *
     * @param description the description, {@code null} on error
     * @param label the Codec-Data header when the text had one, else {@code null}
     * @param mediaLines the line number of every {@code m=} line, in order (empty on error)
     * @param error what is wrong, or {@code null}
     */
    public record Result(SessionDescription description, CodecDataLabel label, List<Integer> mediaLines,
                         SdpError error) {
        public Result {
            mediaLines = List.copyOf(mediaLines);
        }

        public boolean ok() {
            return error == null;
        }

        static Result failure(int line, String reason) {
            return new Result(null, null, List.of(), new SdpError(line, reason));
        }
    }

    /** Parses SDP text or a Codec-Data value; never throws. */
    public static Result parse(String text) {
        if (text == null) {
            return Result.failure(0, "no description");
        }
        Run run = new Run(text);
        try {
            return run.parse();
        } catch (Fault f) {
            return Result.failure(f.line, f.getMessage());
        } catch (IllegalArgumentException e) {
            // a value the records refuse (control characters inside a field, for instance)
            return Result.failure(run.lineNo, e.getMessage());
        }
    }

    /** The label of every header combination, shared: a label is a value. */
    private static final CodecDataLabel[] LABELS = new CodecDataLabel[6];

    static {
        for (CodecDataLabel.Link link : CodecDataLabel.Link.values()) {
            for (CodecDataLabel.Role role : CodecDataLabel.Role.values()) {
                LABELS[link.ordinal() * 3 + role.ordinal()] = new CodecDataLabel(link, role);
            }
        }
    }

    /**
     * The names a value is most often one of: a value equal to one of them is that constant rather
     * than a new string (same text, so nothing else can tell), and its hash is already known to the
     * {@code switch} statements that look names up.
     */
    private static final String[][] ATTRIBUTE_NAMES = byFirstChar(
        "sendrecv", "sendonly", "recvonly", "inactive", "rtpmap", "fmtp", "ptime", "maxptime", "maxprate", "rtcp",
        "rtcp-mux", "rtcp-fb", "mid", QosAttributes.LATENCY, QosAttributes.JITTER, QosAttributes.LOSS,
        QosAttributes.CLASS, QosAttributes.SECURITY, QosAttributes.GAME_FORMAT, QosAttributes.CURRENT,
        QosAttributes.DESIRED, QosAttributes.CONFIRM);
    private static final String[][] BANDWIDTH_TYPES = byFirstChar(Bandwidth.AS, Bandwidth.TIAS, Bandwidth.RS,
        Bandwidth.RR, Bandwidth.CT);
    private static final String[][] MEDIA = byFirstChar("audio", "video", "application", "text", "message", "image");

    /** The names grouped by their first character (ASCII), each group in the order given. */
    private static String[][] byFirstChar(String... names) {
        String[][] out = new String[128][];
        Arrays.fill(out, new String[0]);
        for (String name : names) {
            String[] group = out[name.charAt(0)];
            group = Arrays.copyOf(group, group.length + 1);
            group[group.length - 1] = name;
            out[name.charAt(0)] = group;
        }
        return out;
    }

    /** The RTP payload types 0..127 as written without leading zeros: the formats of nearly every m= line. */
    private static final String[] PAYLOAD_TYPES = new String[128];

    static {
        for (int i = 0; i < PAYLOAD_TYPES.length; i++) {
            PAYLOAD_TYPES[i] = Integer.toString(i);
        }
    }

    private static final String[][] PROTOS = byFirstChar("RTP/AVP", "RTP/AVPF", "RTP/SAVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVPF",
        "UDP", "TCP");

    /** A fault; never leaves this class. */
    private static final class Fault extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;

        Fault(int line, String reason) {
            super(reason, null, false, false);
            this.line = line;
        }
    }

    /**
     * One parse over one input.
     *
     * <p><b>Design.</b> The text is walked in place: the current line is a pair of indexes
     * ({@link #ls}, {@link #le}) into it, and only the values kept in the description (or quoted
     * in an error) are copied out as strings. The lines are the ones a split at LF gives once the
     * trailing NULs, CRs and LFs are cut off, each without the CR before its LF; {@link #next} is
     * the number of lines read so far, so the current line's number. The states follow RFC 8866
     * §5: the optional Codec-Data header (TS 29.214 §5.3.7), then either {@code v=} {@code o=}
     * {@code s=} and the session level, or directly the first {@code m=}, then one media level
     * per {@code m=} up to the end.
     */
    private static final class Run {
        private final String text;
        /** The end of the text without its trailing NULs, CRs and LFs. */
        private final int end;
        /** Where the next line starts; past {@link #end} when every line has been read. */
        private int pos;
        /** The current line: from {@code ls} to {@code le}, without its line end. */
        private int ls;
        private int le;
        /** The number of lines read. */
        private int next;
        /** The line of the last non-blank line returned, for errors. */
        private int lineNo;
        /** The attributes and bandwidths of the level being read; one level at a time. */
        private final Level level = new Level();
        /** The line of the first {@code m=}, then of the others when there are more. */
        private int firstMediaLine;
        private int[] mediaLines;
        private int mediaCount;

        Run(String text) {
            this.text = text;
            int e = text.length();
            while (e > 0) {
                char c = text.charAt(e - 1);
                if (c != '\0' && c != '\r' && c != '\n') {
                    break;
                }
                e--;
            }
            this.end = e;
            this.pos = e == 0 ? 1 : 0;
        }

        /** Moves to the next line, blank or not; false at the end of the input. */
        private boolean nextLine() {
            if (pos > end) {
                return false;
            }
            int nl = text.indexOf('\n', pos);
            ls = pos;
            if (nl < 0 || nl >= end) {
                le = end;
                pos = end + 1;
            } else {
                le = nl > pos && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
                pos = nl + 1;
            }
            next++;
            return true;
        }

        /** The current line as a string, for errors. */
        private String line() {
            return text.substring(ls, le);
        }

        /** The current line's value (after {@code <type>=}) as a string. */
        private String value() {
            return text.substring(ls + 2, le);
        }

        /**
         * Moves to the next non-blank line and returns its type letter, or 0 at the end of the
         * input; sets {@link #lineNo}.
         */
        private char advance() throws Fault {
            while (nextLine()) {
                lineNo = next;
                // blank as String.isBlank() has it; a NUL or a CR inside a line that is not blank is refused
                boolean blank = true;
                boolean nul = false;
                boolean cr = false;
                for (int i = ls; i < le; i++) {
                    char c = text.charAt(i);
                    if (c <= '\r') {
                        // NUL, CR, or a control character that may be white space (TAB, LF, VT, FF)
                        if (c == '\0') {
                            nul = true;
                            blank = false;
                        } else if (c == '\r') {
                            cr = true;
                        } else if (blank && !Character.isWhitespace(c)) {
                            blank = false;
                        }
                    } else if (blank && !Character.isWhitespace(c)) {
                        blank = false;
                    }
                }
                if (blank) {
                    continue;
                }
                if (nul) {
                    throw new Fault(lineNo, "NUL byte inside the description (only trailing NULs are ignored)");
                }
                if (cr) {
                    throw new Fault(lineNo, "CR not followed by LF");
                }
                char t = text.charAt(ls);
                if (le - ls < 2 || text.charAt(ls + 1) != '=' || t < 'a' || t > 'z') {
                    throw new Fault(lineNo, "expected <type>=<value> with a lower-case letter as type, found '"
                            + abbreviate(line()) + "'");
                }
                return t;
            }
            return 0;
        }

        Result parse() throws Fault {
            CodecDataLabel label = header();
            char first = advance();
            if (first == 0) {
                return new Result(SessionDescription.fragment(List.of()), label, List.of(), null);
            }
            SessionDescription sd;
            if (first == 'v') {
                sd = whole();
            } else if (first == 'm') {
                sd = SessionDescription.fragment(media());
            } else {
                throw new Fault(lineNo, "a description starts with v= (whole SDP) or m= (media-level fragment), found '"
                        + abbreviate(line()) + "'");
            }
            return new Result(sd, label, mediaLines(), null);
        }

        /** The Codec-Data header, or {@code null} when the first line is not one (then nothing is read). */
        private CodecDataLabel header() throws Fault {
            if (!nextLine()) {
                return null;
            }
            int link = keyword(ls, le, "uplink", "downlink", null);
            if (link < 0) {
                pos = 0;
                next = 0;
                return null;
            }
            int firstStart = ls;
            int firstEnd = le;
            if (!nextLine()) {
                throw new Fault(1, "Codec-Data header: '" + text.substring(firstStart, firstEnd).trim()
                        + "' must be followed by a line offer, answer or description (TS 29.214 §5.3.7)");
            }
            int role = keyword(ls, le, "offer", "answer", "description");
            if (role < 0) {
                throw new Fault(2, "Codec-Data header: the second line must be offer, answer or description "
                        + "(TS 29.214 §5.3.7), found '" + abbreviate(line()) + "'");
            }
            return LABELS[link * 3 + role];
        }

        /**
         * Which of the words {@code text.substring(from, to).trim().toLowerCase(Locale.ROOT)} is
         * (0, 1 or 2), or -1. Plain ASCII is compared in place; anything else takes the long way,
         * so that the answer is the one the lower-casing of {@link Locale#ROOT} gives.
         */
        private int keyword(int from, int to, String w0, String w1, String w2) {
            int s = from;
            int e = to;
            while (s < e && text.charAt(s) <= ' ') {
                s++;
            }
            while (e > s && text.charAt(e - 1) <= ' ') {
                e--;
            }
            for (int i = s; i < e; i++) {
                if (text.charAt(i) >= 0x80) {
                    String lower = text.substring(s, e).toLowerCase(Locale.ROOT);
                    return lower.equals(w0) ? 0 : lower.equals(w1) ? 1 : w2 != null && lower.equals(w2) ? 2 : -1;
                }
            }
            return asciiLowerEquals(s, e, w0) ? 0 : asciiLowerEquals(s, e, w1) ? 1
                    : w2 != null && asciiLowerEquals(s, e, w2) ? 2 : -1;
        }

        /** {@code text.substring(from, to)}, ASCII only, lower-cased is {@code word}. */
        private boolean asciiLowerEquals(int from, int to, String word) {
            if (to - from != word.length()) {
                return false;
            }
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c >= 'A' && c <= 'Z') {
                    c = (char) (c + ('a' - 'A'));
                }
                if (c != word.charAt(i - from)) {
                    return false;
                }
            }
            return true;
        }

        /** {@code text.substring(from, to)}, or the constant of {@code known} with that text. */
        private String known(int from, int to, String[][] known) {
            String k = constant(from, to, known);
            return k != null ? k : text.substring(from, to);
        }

        /** The constant of {@code known} that {@code text.substring(from, to)} is, or {@code null}. */
        private String constant(int from, int to, String[][] known) {
            int n = to - from;
            if (n == 0 || text.charAt(from) >= known.length) {
                return null;
            }
            String[] candidates = known[text.charAt(from)];
            for (String k : candidates) {
                if (k.length() == n && SdpSyntax.regionIs(text, from, k)) {
                    return k;
                }
            }
            return null;
        }

        private List<Integer> mediaLines() {
            return switch (mediaCount) {
                case 0 -> List.of();
                case 1 -> List.of(firstMediaLine);
                default -> {
                    Integer[] boxed = new Integer[mediaCount];
                    for (int i = 0; i < mediaCount; i++) {
                        boxed[i] = mediaLines[i];
                    }
                    yield List.of(boxed);
                }
            };
        }

        /** A whole description, the {@code v=} line being the current one. */
        private SessionDescription whole() throws Fault {
            if (!(trimmedLength(ls + 2, le) == 1 && text.charAt(trimmedStart(ls + 2, le)) == '0')) {
                throw new Fault(lineNo, "v= must be 0 (RFC 8866 §5.1), found '" + abbreviate(line()) + "'");
            }
            char o = advance();
            if (o != 'o') {
                throw new Fault(lineNo, "o= must follow v= (RFC 8866 §5)" + found(o));
            }
            Origin origin = origin(value());
            char s = advance();
            if (s != 's') {
                throw new Fault(lineNo, "s= must follow o= (RFC 8866 §5)" + found(s));
            }
            String sessionName = value();
            // the line of the first i=, u=, c=, z= and k=, each allowed once
            int[] seen = new int[5];
            String information = null;
            String uri = null;
            String timeZones = null;
            String key = null;
            Connection connection = null;
            List<String> emails = new ArrayList<>();
            List<String> phones = new ArrayList<>();
            List<long[]> times = new ArrayList<>();
            List<List<String>> repeats = new ArrayList<>();
            level.reset(0);
            char t;
            while ((t = advance()) != 0 && t != 'm') {
                if (t == 'a') {
                    level.attribute(lineNo);
                    continue;
                }
                if (t == 'b') {
                    level.bandwidth(bandwidth(), lineNo);
                    continue;
                }
                String v = value();
                int once = "iuczk".indexOf(t);
                if (once >= 0) {
                    if (seen[once] != 0) {
                        throw new Fault(lineNo, "a second " + t + "= line at session level (the first is on line "
                                + seen[once] + ")");
                    }
                    seen[once] = lineNo;
                }
                switch (t) {
                    case 'i' -> information = v;
                    case 'u' -> uri = v;
                    case 'e' -> emails.add(v);
                    case 'p' -> phones.add(v);
                    case 'c' -> connection = connection(v);
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
                    case 'v', 'o', 's' -> throw new Fault(lineNo, "a second " + t + "= line (a description has one)");
                    default -> throw unknown(t);
                }
            }
            List<Timing> timings = new ArrayList<>();
            for (int i = 0; i < times.size(); i++) {
                timings.add(new Timing(times.get(i)[0], times.get(i)[1], repeats.get(i)));
            }
            List<Attribute> attributes = level.attributes();
            List<Bandwidth> bandwidths = level.bandwidths();
            List<MediaDescription> media = t == 0 ? List.of() : media();
            int sessionEnd = lineNo;
            try {
                return new SessionDescription(0, origin, sessionName, information, uri, emails, phones, connection,
                        bandwidths, timings, timeZones, key, attributes, media);
            } catch (IllegalArgumentException e) {
                throw new Fault(sessionEnd, e.getMessage());
            }
        }

        /** Where {@code text.substring(from, to).trim()} starts. */
        private int trimmedStart(int from, int to) {
            while (from < to && text.charAt(from) <= ' ') {
                from++;
            }
            return from;
        }

        /** The length of {@code text.substring(from, to).trim()}. */
        private int trimmedLength(int from, int to) {
            int s = trimmedStart(from, to);
            while (to > s && text.charAt(to - 1) <= ' ') {
                to--;
            }
            return to - s;
        }

        /** Media descriptions from the current {@code m=} line to the end of the input. */
        private List<MediaDescription> media() throws Fault {
            MediaDescription[] out = new MediaDescription[2];
            int n = 0;
            char t = 'm';
            while (t == 'm') {
                int mAt = lineNo;
                if (mediaCount == 0) {
                    firstMediaLine = mAt;
                } else {
                    if (mediaLines == null) {
                        mediaLines = new int[] {firstMediaLine, 0, 0, 0};
                    } else if (mediaCount == mediaLines.length) {
                        mediaLines = Arrays.copyOf(mediaLines, mediaCount * 2);
                    }
                    mediaLines[mediaCount] = mAt;
                }
                mediaCount++;
                // the fields as SdpSyntax.fields splits them: blanks at either end ignored, runs of spaces between
                int end = le;
                while (end > ls + 2 && text.charAt(end - 1) <= ' ') {
                    end--;
                }
                int mediaStart = trimmedStart(ls + 2, end);
                int mediaEnd = fieldEnd(mediaStart, end);
                int portStart = fieldStart(mediaEnd, end);
                int portEnd = fieldEnd(portStart, end);
                int protoStart = fieldStart(portEnd, end);
                int protoEnd = fieldEnd(protoStart, end);
                int formatStart = fieldStart(protoEnd, end);
                if (formatStart >= end) {
                    throw new Fault(mAt, "m= needs <media> <port> <proto> <fmt>..., found '" + abbreviate(line()) + "'");
                }
                if (!SdpSyntax.isToken(text, mediaStart, mediaEnd)) {
                    throw new Fault(mAt, "m= media '" + text.substring(mediaStart, mediaEnd) + "' is not a token");
                }
                Integer portCount = null;
                int slash = text.indexOf('/', portStart);
                if (slash >= 0 && slash < portEnd) {
                    long c = SdpSyntax.digits(text, slash + 1, portEnd);
                    if (c < 1 || c > 65535) {
                        throw new Fault(mAt, "m= number of ports '" + text.substring(slash + 1, portEnd)
                                + "' is not a number 1..65535");
                    }
                    portCount = (int) c;
                    portEnd = slash;
                }
                long port = SdpSyntax.digits(text, portStart, portEnd);
                if (port < 0 || port > 65535) {
                    throw new Fault(mAt, "m= port '" + text.substring(portStart, portEnd) + "' is not a number 0..65535");
                }
                String media = known(mediaStart, mediaEnd, MEDIA);
                String proto = known(protoStart, protoEnd, PROTOS);
                List<String> formats = formats(formatStart, end);
                String information = null;
                String key = null;
                List<Connection> connections = List.of();
                level.reset(mAt);
                while ((t = advance()) != 0 && t != 'm') {
                    switch (t) {
                        case 'a' -> level.attribute(lineNo);
                        case 'b' -> level.bandwidth(bandwidth(), lineNo);
                        case 'i' -> information = once(information, value(), 'i', mAt);
                        case 'c' -> {
                            if (connections.isEmpty()) {
                                connections = new ArrayList<>(2);
                            }
                            connections.add(connection(value()));
                        }
                        case 'k' -> key = once(key, value(), 'k', mAt);
                        case 'v', 'o', 's', 'u', 'e', 'p', 't', 'r', 'z' -> throw new Fault(lineNo, t
                                + "= is a session-level line; it cannot follow the m= line of line " + mAt);
                        default -> throw unknown(t);
                    }
                }
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                try {
                    out[n++] = new MediaDescription(media, (int) port, portCount, proto, formats, information,
                            connections, level.bandwidths(), key, level.attributes());
                } catch (IllegalArgumentException e) {
                    throw new Fault(mAt, e.getMessage());
                }
            }
            return listOf(out, n);
        }

        /** Where the field at or after {@code i} starts: past the spaces; {@code end} when there is none. */
        private int fieldStart(int i, int end) {
            while (i < end && text.charAt(i) == ' ') {
                i++;
            }
            return i;
        }

        /** Where the field starting at {@code i} ends: at the next space or at {@code end}. */
        private int fieldEnd(int i, int end) {
            while (i < end && text.charAt(i) != ' ') {
                i++;
            }
            return i;
        }

        /** The formats of an {@code m=} line: the fields from {@code from}, the first of them, to {@code end}. */
        private List<String> formats(int from, int end) {
            int firstEnd = fieldEnd(from, end);
            int second = fieldStart(firstEnd, end);
            if (second == end) {
                return List.of(format(from, firstEnd));
            }
            int secondEnd = fieldEnd(second, end);
            int third = fieldStart(secondEnd, end);
            if (third == end) {
                return List.of(format(from, firstEnd), format(second, secondEnd));
            }
            int count = 0;
            for (int i = from; i < end; i = fieldStart(fieldEnd(i, end), end)) {
                count++;
            }
            String[] f = new String[count];
            int k = 0;
            for (int i = from; i < end; ) {
                int e = fieldEnd(i, end);
                f[k++] = format(i, e);
                i = fieldStart(e, end);
            }
            return List.of(f);
        }

        /** A format: one of {@link #PAYLOAD_TYPES} when it is written as one, else copied. */
        private String format(int from, int to) {
            if (to - from <= 3 && (to - from == 1 || text.charAt(from) != '0')) {
                long pt = SdpSyntax.digits(text, from, to);
                if (pt >= 0 && pt < PAYLOAD_TYPES.length) {
                    return PAYLOAD_TYPES[(int) pt];
                }
            }
            return text.substring(from, to);
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

        /** The current {@code b=} line, read in place: only the type (when not a known one) is copied. */
        private Bandwidth bandwidth() throws Fault {
            int from = ls + 2;
            int colon = text.indexOf(':', from);
            long value = -1;
            int typeStart = from;
            int typeEnd = le;
            if (colon >= 0 && colon < le) {
                typeStart = trimmedStart(from, colon);
                typeEnd = typeStart + trimmedLength(from, colon);
                int valueStart = trimmedStart(colon + 1, le);
                value = SdpSyntax.digits(text, valueStart, valueStart + trimmedLength(colon + 1, le));
            }
            if (!SdpSyntax.isToken(text, typeStart, typeEnd) || value < 0) {
                throw new Fault(lineNo, "b= needs <bwtype>:<bandwidth> with a decimal bandwidth of at most "
                        + SdpSyntax.MAX_DIGITS + " digits (RFC 8866 §5.8), found '" + abbreviate(value()) + "'");
            }
            return new Bandwidth(known(typeStart, typeEnd, BANDWIDTH_TYPES), value);
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

        /** {@code , found '<the current line>'}, or the end of the input when {@link #advance} found none. */
        private String found(char type) {
            return type == 0 ? ", found the end of the input" : ", found '" + abbreviate(line()) + "'";
        }

        /**
         * The attributes and bandwidths of the level being read, with the checks that span lines.
         * A level has a handful of lines, so a repeat is found by looking back over them rather
         * than through maps; one instance serves every level of a parse in turn. The line of the
         * first of a repeated pair is not kept: the error looks it up again from the level's first
         * line ({@link #lineOf}), the input being read no further after an error.
         */
        private final class Level {
            /** The line of the level's m=, 0 at session level. */
            private int mediaLine;
            /** Where the level's first line (its m=, or s= at session level) starts, and the lines before it. */
            private int start;
            private int linesBefore;
            private Attribute[] attributes = new Attribute[8];
            private int attributeCount;
            private Bandwidth[] bandwidths = new Bandwidth[4];
            private int bandwidthCount;
            private int directionLine;
            private String direction;

            /**
             * Starts a level at the current line: the session level ({@code mediaLine} 0, at the
             * s= line) or the m= of that line.
             */
            void reset(int mediaLine) {
                this.mediaLine = mediaLine;
                start = ls;
                linesBefore = next - 1;
                attributeCount = 0;
                bandwidthCount = 0;
                direction = null;
                directionLine = 0;
            }

            /**
             * The line number of the {@code index}-th (from 0) line of this type in the level, for an
             * error: the level is read again from its first line, every line of it being already
             * checked. Leaves the input at that line.
             */
            private int lineOf(char type, int index) {
                pos = start;
                next = linesBefore;
                int seen = -1;
                while (nextLine()) {
                    if (le - ls >= 2 && text.charAt(ls) == type && text.charAt(ls + 1) == '=' && ++seen == index) {
                        return next;
                    }
                }
                throw new IllegalStateException("line " + index + " of type " + type + " not found again");
            }

            List<Attribute> attributes() {
                return listOf(attributes, attributeCount);
            }

            List<Bandwidth> bandwidths() {
                return listOf(bandwidths, bandwidthCount);
            }

            /** Where the level is, for errors. */
            String where() {
                return mediaLine == 0 ? "at session level" : "in the media description of line " + mediaLine;
            }

            void bandwidth(Bandwidth b, int at) throws Fault {
                // types are tokens, plain ASCII, where ignoring case is comparing upper-cased forms
                for (int i = 0; i < bandwidthCount; i++) {
                    if (bandwidths[i].type().equalsIgnoreCase(b.type())) {
                        throw new Fault(at, "b=" + b.type() + " is given twice " + where() + " (first on line "
                                + lineOf('b', i) + ")");
                    }
                }
                if (bandwidthCount == bandwidths.length) {
                    bandwidths = Arrays.copyOf(bandwidths, bandwidthCount * 2);
                }
                bandwidths[bandwidthCount++] = b;
            }

            /** The current line, an {@code a=} line: the name and the value are copied out, nothing else. */
            void attribute(int at) throws Fault {
                int from = ls + 2;
                int colon = text.indexOf(':', from);
                if (colon >= le) {
                    colon = -1;
                }
                int nameEnd = colon < 0 ? le : colon;
                // a known name is a token; any other is checked before it is copied
                String name = constant(from, nameEnd, ATTRIBUTE_NAMES);
                if (name == null) {
                    if (!SdpSyntax.isToken(text, from, nameEnd)) {
                        throw new Fault(at, "attribute name '" + abbreviate(text.substring(from, nameEnd))
                                + "' is not a token (RFC 8866 §5.13)");
                    }
                    name = text.substring(from, nameEnd);
                }
                Attribute a = new Attribute(name, colon < 0 ? null : text.substring(colon + 1, le));
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
                    for (int i = 0; i < attributeCount; i++) {
                        if (attributes[i].name().equals(name)) {
                            throw new Fault(at, "a=" + name + " is given twice " + where() + " (first on line "
                                    + lineOf('a', i) + ")");
                        }
                    }
                }
                if (attributeCount == attributes.length) {
                    attributes = Arrays.copyOf(attributes, attributeCount * 2);
                }
                attributes[attributeCount++] = a;
            }
        }
    }

    /** The first {@code n} of {@code items} as an unmodifiable list, as {@link List#copyOf} would make it. */
    private static <T> List<T> listOf(T[] items, int n) {
        return switch (n) {
            case 0 -> List.of();
            case 1 -> List.of(items[0]);
            case 2 -> List.of(items[0], items[1]);
            default -> List.of(Arrays.copyOf(items, n));
        };
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
