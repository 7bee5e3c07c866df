package org.arbiter.core.session;

import java.util.Objects;

/**
 * Subscription-Id (RFC 4006 §8.46): who the session is for.
 *
 * @param type the Subscription-Id-Type
 * @param data the Subscription-Id-Data, kept verbatim (Kamailio keeps the {@code tel:} prefix)
 */
public record SubscriptionId(Type type, String data) {

    public SubscriptionId {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /** Subscription-Id-Type values. */
    public enum Type {
        END_USER_E164(0), END_USER_IMSI(1), END_USER_SIP_URI(2), END_USER_NAI(3), END_USER_PRIVATE(4);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** {@link #values()}, copied once for the lookups. */
        private static final Type[] VALUES = values();

        /** The type for a wire value, or {@code null}. */
        public static Type fromCode(int code) {
            for (Type t : VALUES) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }
    }

    @Override
    public String toString() {
        return data;
    }
}
