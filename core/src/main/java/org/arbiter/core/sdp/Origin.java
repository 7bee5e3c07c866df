package org.arbiter.core.sdp;

import java.util.Objects;

/**
 * The {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>} line
 * (RFC 8866 §5.2). The fields are kept as written; Arbiter does not interpret them.
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
                     String address) {

    public Origin {
        SdpSyntax.requireNonWs("origin username", Objects.requireNonNull(username, "username"));
        SdpSyntax.requireNonWs("origin sess-id", Objects.requireNonNull(sessionId, "sessionId"));
        SdpSyntax.requireNonWs("origin sess-version", Objects.requireNonNull(sessionVersion, "sessionVersion"));
        SdpSyntax.requireNonWs("origin nettype", Objects.requireNonNull(netType, "netType"));
        SdpSyntax.requireNonWs("origin addrtype", Objects.requireNonNull(addrType, "addrType"));
        SdpSyntax.requireNonWs("origin address", Objects.requireNonNull(address, "address"));
    }

    @Override
    public String toString() {
        return username + " " + sessionId + " " + sessionVersion + " " + netType + " " + addrType + " " + address;
    }
}
