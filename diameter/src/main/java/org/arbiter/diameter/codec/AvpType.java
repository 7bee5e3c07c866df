package org.arbiter.diameter.codec;

/**
 * The AVP data formats of RFC 6733 §4.2 (basic) and §4.3 (derived), as the dictionary names them.
 *
 * <p>{@link #fixedLength()} is the data length a valid AVP of the type must have, or -1 when the
 * length varies.
 */
public enum AvpType {
    OCTET_STRING("OctetString", -1),
    INTEGER32("Integer32", 4),
    INTEGER64("Integer64", 8),
    UNSIGNED32("Unsigned32", 4),
    UNSIGNED64("Unsigned64", 8),
    FLOAT32("Float32", 4),
    FLOAT64("Float64", 8),
    GROUPED("Grouped", -1),
    ADDRESS("Address", -1),
    TIME("Time", 4),
    UTF8_STRING("UTF8String", -1),
    DIAMETER_IDENTITY("DiameterIdentity", -1),
    DIAMETER_URI("DiameterURI", -1),
    ENUMERATED("Enumerated", 4),
    IP_FILTER_RULE("IPFilterRule", -1);

    private final String specName;
    private final int fixedLength;

    AvpType(String specName, int fixedLength) {
        this.specName = specName;
        this.fixedLength = fixedLength;
    }

    /** The name RFC 6733 gives the format ({@code UTF8String}, {@code Unsigned32}...). */
    public String specName() {
        return specName;
    }

    /** The data length every AVP of this type has, or -1 when it varies. */
    public int fixedLength() {
        return fixedLength;
    }

    /** True for the formats whose data is text (checked as UTF-8 when decoded). */
    public boolean text() {
        return this == UTF8_STRING || this == DIAMETER_IDENTITY || this == DIAMETER_URI || this == IP_FILTER_RULE;
    }

    /** The type the spec calls {@code name}, or {@code null}. */
    public static AvpType bySpecName(String name) {
        for (AvpType t : values()) {
            if (t.specName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
