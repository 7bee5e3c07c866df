package org.arbiter.server.serve;

import org.arbiter.core.engine.AfNotifier;
import org.arbiter.core.session.SpecificAction;

/** Lets the engine exist before the Diameter front end that carries its notifications. */
final class ForwardingNotifier implements AfNotifier {

    private volatile AfNotifier target = AfNotifier.NONE;

    void target(AfNotifier t) {
        this.target = t;
    }

    @Override
    public void notify(String sessionId, String originHost, SpecificAction action) {
        target.notify(sessionId, originHost, action);
    }

    @Override
    public void abort(String sessionId, String originHost, String reason) {
        target.abort(sessionId, originHost, reason);
    }
}
