package org.arbiter.core.sdp;

/**
 * The direction attributes of RFC 8866 §6.7 ({@code a=sendrecv}, {@code a=sendonly},
 * {@code a=recvonly}, {@code a=inactive}), seen from the author of the description.
 */
public enum MediaDirection {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    /** True when the author sends media. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** True when the author receives media. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** The attribute name, as written in SDP. */
    public String attributeName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The direction for an attribute name, or {@code null} when the name is not a direction. */
    public static MediaDirection fromAttributeName(String name) {
        return switch (name) {
            case "sendrecv" -> SENDRECV;
            case "sendonly" -> SENDONLY;
            case "recvonly" -> RECVONLY;
            case "inactive" -> INACTIVE;
            default -> null;
        };
    }
}
