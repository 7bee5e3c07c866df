package org.arbiter.core.engine;

import org.arbiter.core.session.SpecificAction;

/**
 * Port: tells the application function (the P-CSCF) about events on its sessions. The Diameter
 * front end implements it with RAR (Specific-Action) and ASR.
 *
 * <p>Calls must not block: implementations queue the message and return. A client that never
 * answers must not break anything.
 */
public interface AfNotifier {

    /** Reports an event the AF subscribed to (RAR with Specific-Action). */
    void notify(String sessionId, String originHost, SpecificAction action);

    /** Asks the AF to end the session (ASR); the AF then sends STR. */
    void abort(String sessionId, String originHost, String reason);

    /** A notifier that drops everything, for servers without a northbound peer. */
    AfNotifier NONE = new AfNotifier() {
        @Override
        public void notify(String sessionId, String originHost, SpecificAction action) {}

        @Override
        public void abort(String sessionId, String originHost, String reason) {}
    };
}
