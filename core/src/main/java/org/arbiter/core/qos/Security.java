package org.arbiter.core.qos;

import java.util.Locale;

/** The security a flow asks for ({@code a=qos-security}), weakest first. */
public enum Security {
    NONE, INTEGRITY, CONFIDENTIAL;

    /** The level for an SDP token, or {@code null} when the token is not one of ours. */
    public static Security fromToken(String token) {
        return switch (token.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "integrity" -> INTEGRITY;
            case "confidential" -> CONFIDENTIAL;
            default -> null;
        };
    }

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
