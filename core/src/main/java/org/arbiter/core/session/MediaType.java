package org.arbiter.core.session;

/**
 * Media-Type (TS 29.214 §5.3.19), the kind of media a component carries.
 *
 * <p>The numeric {@link #code()} is the value on the wire. {@link #fromCode(int)} maps an unknown
 * value to {@link #OTHER} rather than failing, as the spec reserves values for future use.
 */
public enum MediaType {
    AUDIO(0), VIDEO(1), DATA(2), APPLICATION(3), CONTROL(4), TEXT(5), MESSAGE(6), OTHER(0xFFFFFFFF);

    private final int code;

    MediaType(int code) {
        this.code = code;
    }

    /** The Enumerated value of the AVP. */
    public int code() {
        return code;
    }

    /** {@link #values()}, copied once for the lookups. */
    private static final MediaType[] VALUES = values();

    /** The media type for a wire value; unknown values give {@link #OTHER}. */
    public static MediaType fromCode(int code) {
        for (MediaType t : VALUES) {
            if (t.code == code) {
                return t;
            }
        }
        return OTHER;
    }

    /** The media type for an SDP {@code m=} media token ({@code audio}, {@code video}, ...). */
    public static MediaType fromSdpToken(String token) {
        return switch (token.toLowerCase(java.util.Locale.ROOT)) {
            case "audio" -> AUDIO;
            case "video" -> VIDEO;
            case "application" -> APPLICATION;
            case "text" -> TEXT;
            case "message" -> MESSAGE;
            case "data" -> DATA;
            case "control" -> CONTROL;
            default -> OTHER;
        };
    }
}
