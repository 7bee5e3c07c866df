package org.arbiter.core.sdp;

import java.util.Objects;

/**
 * An {@code a=} line (RFC 8866 §5.13): a property attribute ({@code a=sendrecv}, value
 * {@code null}) or a value attribute ({@code a=rtpmap:0 PCMU/8000}). Unknown attributes are kept
 * as they are.
 *
 * @param name the attribute name, an RFC 8866 token, case as written
 * @param value the text after the first colon (may be empty), or {@code null} for a property
 *     attribute
 * @throws IllegalArgumentException when the name is not a token or the value holds NUL, CR or LF
 */
public record Attribute(String name, String value) {

    public Attribute {
        SdpSyntax.requireToken("attribute name", Objects.requireNonNull(name, "name"));
        if (value != null && !SdpSyntax.isText(value)) {
            throw SdpSyntax.invalid("value of a=" + name, value, "text must not contain NUL, CR or LF");
        }
    }

    /** A property attribute such as {@code a=recvonly}. */
    public static Attribute flag(String name) {
        return new Attribute(name, null);
    }

    /** The value, or {@code ""} for a property attribute. */
    public String valueOrEmpty() {
        return value == null ? "" : value;
    }

    /** The line without the {@code a=} prefix: {@code name} or {@code name:value}. */
    @Override
    public String toString() {
        return value == null ? name : name + ":" + value;
    }
}
