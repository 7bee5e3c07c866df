package org.arbiter.diameter.peer;

import java.net.InetSocketAddress;

/**
 * One peer as {@code DiameterServer.peers()} shows it.
 *
 * @param host the peer's Origin-Host (the configured name for a configured peer not yet connected,
 *     {@code null} for an accepted connection before its CER)
 * @param state the connection state
 * @param address the remote address, or {@code null} when there is no connection
 * @param inbound true when the peer connected to us
 */
public record PeerSnapshot(String host, PeerState state, InetSocketAddress address, boolean inbound) {}
