package org.arbiter.core.sdp;

import java.util.Objects;

/**
 * A {@code c=<nettype> <addrtype> <connection-address>} line (RFC 8866 §5.7).
 *
 * @param netType {@code IN} for the Internet
 * @param addrType {@code IP4} or {@code IP6} (others are kept)
 * @param address the address as written, with a multicast {@code /ttl/count} suffix if any
 */
public record Connection(String netType, String addrType, String address) {

    public Connection {
        SdpSyntax.requireToken("connection nettype", Objects.requireNonNull(netType, "netType"));
        SdpSyntax.requireToken("connection addrtype", Objects.requireNonNull(addrType, "addrType"));
        SdpSyntax.requireNonWs("connection address", Objects.requireNonNull(address, "address"));
    }

    /** An {@code IN IP4} or {@code IN IP6} connection for a unicast address. */
    public static Connection of(String address) {
        return new Connection("IN", address.indexOf(':') >= 0 ? "IP6" : "IP4", address);
    }

    /** The address without the multicast {@code /ttl} and {@code /count} suffixes. */
    public String host() {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }

    /** True for {@code IP6}. */
    public boolean ipv6() {
        return addrType.equalsIgnoreCase("IP6");
    }

    @Override
    public String toString() {
        return netType + " " + addrType + " " + address;
    }
}
