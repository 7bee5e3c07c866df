package org.arbiter.diameter.codec;

import java.util.Objects;

/**
 * One dictionary entry: how an AVP is named, coded and typed.
 *
 * @param name the spec's name ({@code Session-Id})
 * @param code the AVP code
 * @param vendorId the vendor (0 for IETF AVPs, 10415 for 3GPP); a non-zero vendor sets the V flag
 * @param type the data format
 * @param mandatory true when the spec says the M flag MUST be set
 */
public record AvpDef(String name, int code, int vendorId, AvpType type, boolean mandatory) {

    public AvpDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** The flags an AVP of this definition is sent with. */
    public int flags() {
        return (vendorId != 0 ? Avp.FLAG_VENDOR : 0) | (mandatory ? Avp.FLAG_MANDATORY : 0);
    }
}
