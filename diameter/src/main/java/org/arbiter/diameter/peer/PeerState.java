package org.arbiter.diameter.peer;

/**
 * The state of one peer connection: the RFC 6733 §5.6 peer states this stack uses, plus the
 * RFC 3539 watchdog's SUSPECT. See {@link PeerStateMachine} for how they are entered.
 */
public enum PeerState {
    /** No connection (a configured peer between attempts). */
    CLOSED,
    /** Connecting to a configured peer. */
    WAIT_CONN_ACK,
    /** Connected to a configured peer, CER sent, waiting for its CEA. */
    WAIT_I_CEA,
    /** Accepted a connection, waiting for its CER (RFC 6733 folds this into Closed + R-Conn-CER). */
    WAIT_CER,
    /** Open; the peer connected to us. */
    R_OPEN,
    /** Open; we connected to the peer. */
    I_OPEN,
    /** Open, but the watchdog got no answer to a DWR within Tw (RFC 3539 §3.4.1). */
    SUSPECT,
    /** DPR sent or received, waiting for the connection to end. */
    CLOSING
}
