package org.arbiter.server.serve;

import java.util.List;
import java.util.Map;
import org.arbiter.policy.RulePolicyEngine;

/** The running rule engine as the admin API and SIGHUP see it. */
final class PolicyHolder {

    private final RulePolicyEngine engine;

    PolicyHolder(RulePolicyEngine engine) {
        this.engine = engine;
    }

    Object status() {
        List<?> errors = engine.lastLoadErrors().stream().map(Object::toString).toList();
        return Map.of("version", engine.version(), "errors", errors);
    }

    Object reload() {
        return engine.reload();
    }
}
