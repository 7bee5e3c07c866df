package org.arbiter.core.sdp;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The extended QoS attributes of one media description (grammar in {@code docs/sdp-qos.md}):
 * {@code a=qos-latency}, {@code a=qos-jitter}, {@code a=qos-loss}, {@code a=qos-class},
 * {@code a=qos-security}, {@code a=game-format}, and the RFC 3312 precondition lines
 * {@code a=curr}, {@code a=des}, {@code a=conf}. A {@code null} component is "not given".
 *
 * <p>The parser checks every one of these lines with {@link #check(Attribute)} and refuses a
 * malformed one with its line number; {@link #of(List)} therefore never sees a bad value from
 * parsed input, and skips one in a hand-built list.
 *
 * @param latencyMs one-way delay bound in ms ({@code a=qos-latency})
 * @param jitterMs delay variation bound in ms ({@code a=qos-jitter})
 * @param lossPercent packet loss bound in percent, 0..100 ({@code a=qos-loss})
 * @param qosClass the session class, lower case ({@code a=qos-class}: fps-game, voice...)
 * @param security {@code none}, {@code integrity} or {@code confidential} ({@code a=qos-security})
 * @param gameFormat the game's format token ({@code a=game-format}), informational
 * @param preconditions the RFC 3312 status lines, in order
 */
public record QosAttributes(
        Integer latencyMs,
        Integer jitterMs,
        Double lossPercent,
        String qosClass,
        String security,
        String gameFormat,
        List<Precondition> preconditions) {

    public static final String LATENCY = "qos-latency";
    public static final String JITTER = "qos-jitter";
    public static final String LOSS = "qos-loss";
    public static final String CLASS = "qos-class";
    public static final String SECURITY = "qos-security";
    public static final String GAME_FORMAT = "game-format";
    public static final String CURRENT = "curr";
    public static final String DESIRED = "des";
    public static final String CONFIRM = "conf";

    /** No attribute given. */
    public static final QosAttributes NONE = new QosAttributes(null, null, null, null, null, null, List.of());

    /** The largest latency or jitter bound accepted, in ms (one minute). */
    public static final int MAX_MS = 60_000;

    private static final List<String> SECURITY_TOKENS = List.of("none", "integrity", "confidential");
    private static final List<String> STRENGTHS = List.of("mandatory", "optional", "none", "failure", "unknown");
    private static final List<String> STATUS_TYPES = List.of("e2e", "local", "remote");
    private static final List<String> DIRECTION_TAGS = List.of("none", "send", "recv", "sendrecv");

    public QosAttributes {
        preconditions = List.copyOf(Objects.requireNonNull(preconditions, "preconditions"));
    }

    /**
     * An RFC 3312 precondition status line.
     *
     * @param kind {@code curr}, {@code des} or {@code conf}
     * @param type the precondition type, {@code qos} for resource reservation
     * @param strength for {@code des}: mandatory, optional, none, failure or unknown; else {@code null}
     * @param statusType e2e, local or remote
     * @param direction none, send, recv or sendrecv
     */
    public record Precondition(String kind, String type, String strength, String statusType, String direction) {
        public Precondition {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(statusType, "statusType");
            Objects.requireNonNull(direction, "direction");
        }

        /** The line as written: {@code des:qos mandatory local sendrecv}. */
        @Override
        public String toString() {
            return kind + ":" + type + (strength == null ? "" : " " + strength) + " " + statusType + " " + direction;
        }
    }

    /** True when no attribute is given. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /** True for the attribute names of this grammar. */
    public static boolean covers(String name) {
        return switch (name) {
            case LATENCY, JITTER, LOSS, CLASS, SECURITY, GAME_FORMAT, CURRENT, DESIRED, CONFIRM -> true;
            default -> false;
        };
    }

    /**
     * True for {@code curr}, {@code des} and {@code conf}, which may repeat at one level; the other
     * attributes of this grammar may appear once per level.
     */
    static boolean isPrecondition(String name) {
        return name.equals(CURRENT) || name.equals(DESIRED) || name.equals(CONFIRM);
    }

    /**
     * Checks one attribute against this grammar.
     *
     * @return {@code null} when the attribute is well formed or not one of ours, else the reason
     */
    public static String check(Attribute a) {
        if (!covers(a.name())) {
            return null;
        }
        if (a.value() == null) {
            return "a=" + a.name() + " needs a value (a=" + a.name() + ":<value>)";
        }
        String v = a.value().trim();
        return switch (a.name()) {
            case LATENCY, JITTER -> milliseconds(v) < 0
                    ? "a=" + a.name() + " value '" + a.value() + "' is not a whole number of milliseconds 0.." + MAX_MS
                    : null;
            case LOSS -> percent(v) == null
                    ? "a=qos-loss value '" + a.value() + "' is not a percentage 0..100 (digits, optional decimals)"
                    : null;
            case CLASS, GAME_FORMAT -> SdpSyntax.isToken(v) ? null
                    : "a=" + a.name() + " value '" + a.value() + "' is not a token";
            case SECURITY -> SECURITY_TOKENS.contains(v.toLowerCase(Locale.ROOT)) ? null
                    : "a=qos-security value '" + a.value() + "' is not one of none, integrity, confidential";
            default -> precondition(a.name(), v) == null
                    ? "a=" + a.name() + " value '" + a.value() + "' does not follow RFC 3312: " + preconditionForm(a.name())
                    : null;
        };
    }

    private static String preconditionForm(String kind) {
        return kind.equals(DESIRED)
                ? "des:<type> <mandatory|optional|none|failure|unknown> <e2e|local|remote> <none|send|recv|sendrecv>"
                : kind + ":<type> <e2e|local|remote> <none|send|recv|sendrecv>";
    }

    private static int milliseconds(String v) {
        if (v.length() > 6) {
            return -1;
        }
        long ms = SdpSyntax.digits(v);
        return ms < 0 || ms > MAX_MS ? -1 : (int) ms;
    }

    private static Double percent(String v) {
        int dot = v.indexOf('.');
        String whole = dot < 0 ? v : v.substring(0, dot);
        String frac = dot < 0 ? "" : v.substring(dot + 1);
        if (whole.isEmpty() || whole.length() > 3 || SdpSyntax.digits(whole) < 0
                || (dot >= 0 && (frac.isEmpty() || frac.length() > 6 || SdpSyntax.digits(frac) < 0))) {
            return null;
        }
        BigDecimal d = new BigDecimal(v);
        return d.compareTo(BigDecimal.valueOf(100)) > 0 ? null : d.doubleValue();
    }

    private static Precondition precondition(String kind, String v) {
        String[] t = SdpSyntax.fields(v);
        int need = kind.equals(DESIRED) ? 4 : 3;
        if (t.length != need || !SdpSyntax.isToken(t[0])) {
            return null;
        }
        String strength = null;
        int i = 1;
        if (kind.equals(DESIRED)) {
            strength = t[i++].toLowerCase(Locale.ROOT);
            if (!STRENGTHS.contains(strength)) {
                return null;
            }
        }
        String status = t[i++].toLowerCase(Locale.ROOT);
        String dir = t[i].toLowerCase(Locale.ROOT);
        if (!STATUS_TYPES.contains(status) || !DIRECTION_TAGS.contains(dir)) {
            return null;
        }
        return new Precondition(kind, t[0].toLowerCase(Locale.ROOT), strength, status, dir);
    }

    /**
     * The attributes of one level (session or media). A malformed line of this grammar is skipped
     * (parsed input never has one); the first of repeated single-valued lines wins.
     */
    public static QosAttributes of(List<Attribute> attributes) {
        Integer latency = null;
        Integer jitter = null;
        Double loss = null;
        String cls = null;
        String security = null;
        String game = null;
        List<Precondition> pre = List.of();
        boolean any = false;
        for (int i = 0; i < attributes.size(); i++) {
            Attribute a = attributes.get(i);
            if (!covers(a.name()) || a.value() == null) {
                continue;
            }
            // each value is read once: reading it is checking it (as check() does), and a value
            // that does not read is skipped
            String v = a.value().trim();
            switch (a.name()) {
                case LATENCY -> {
                    int ms = milliseconds(v);
                    if (ms < 0) {
                        continue;
                    }
                    latency = latency != null ? latency : Integer.valueOf(ms);
                }
                case JITTER -> {
                    int ms = milliseconds(v);
                    if (ms < 0) {
                        continue;
                    }
                    jitter = jitter != null ? jitter : Integer.valueOf(ms);
                }
                case LOSS -> {
                    Double p = percent(v);
                    if (p == null) {
                        continue;
                    }
                    loss = loss != null ? loss : p;
                }
                case CLASS -> {
                    if (!SdpSyntax.isToken(v)) {
                        continue;
                    }
                    cls = cls != null ? cls : v.toLowerCase(Locale.ROOT);
                }
                case GAME_FORMAT -> {
                    if (!SdpSyntax.isToken(v)) {
                        continue;
                    }
                    game = game != null ? game : v;
                }
                case SECURITY -> {
                    String token = v.toLowerCase(Locale.ROOT);
                    if (!SECURITY_TOKENS.contains(token)) {
                        continue;
                    }
                    security = security != null ? security : token;
                }
                default -> {
                    Precondition p = precondition(a.name(), v);
                    if (p == null) {
                        continue;
                    }
                    if (pre.isEmpty()) {
                        pre = new ArrayList<>();
                    }
                    pre.add(p);
                }
            }
            any = true;
        }
        if (!any) {
            return NONE;
        }
        return new QosAttributes(latency, jitter, loss, cls, security, game, pre);
    }

    /** These attributes with every component that {@code inner} gives replaced by its value. */
    public QosAttributes overriddenBy(QosAttributes inner) {
        if ((inner.latencyMs != null || latencyMs == null) && (inner.jitterMs != null || jitterMs == null)
                && (inner.lossPercent != null || lossPercent == null) && (inner.qosClass != null || qosClass == null)
                && (inner.security != null || security == null) && (inner.gameFormat != null || gameFormat == null)
                && (!inner.preconditions.isEmpty() || preconditions.isEmpty())) {
            // inner gives every component these attributes give: the result is inner, an equal value
            return inner;
        }
        return new QosAttributes(
                inner.latencyMs != null ? inner.latencyMs : latencyMs,
                inner.jitterMs != null ? inner.jitterMs : jitterMs,
                inner.lossPercent != null ? inner.lossPercent : lossPercent,
                inner.qosClass != null ? inner.qosClass : qosClass,
                inner.security != null ? inner.security : security,
                inner.gameFormat != null ? inner.gameFormat : gameFormat,
                inner.preconditions.isEmpty() ? preconditions : inner.preconditions);
    }
}
