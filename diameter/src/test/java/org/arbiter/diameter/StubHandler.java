package org.arbiter.diameter;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.arbiter.core.engine.AuthorizationResult;
import org.arbiter.core.engine.ReleaseResult;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.TerminationCause;

/** An RxHandler for tests: authorizes per a function, remembers sessions, records every call. */
public final class StubHandler implements RxHandler {

    public record Release(String sessionId, TerminationCause cause) {}

    public final BlockingQueue<RxRequest> authorized = new LinkedBlockingQueue<>();
    public final BlockingQueue<Release> released = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> restarted = new LinkedBlockingQueue<>();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final Function<RxRequest, AuthorizationResult> decide;

    public StubHandler(Function<RxRequest, AuthorizationResult> decide) {
        this.decide = decide;
    }

    /** Authorizes everything, provisioned. */
    public StubHandler() {
        this(r -> success(true));
    }

    public static AuthorizationResult success(boolean provisioned) {
        return new AuthorizationResult(ResultCode.DIAMETER_SUCCESS, "ok", List.of(), null, List.of(), List.of(), provisioned);
    }

    public static AuthorizationResult failure(ResultCode code, String message) {
        return new AuthorizationResult(code, message, List.of(), null, List.of(), List.of(), false);
    }

    @Override
    public AuthorizationResult authorize(RxRequest request) {
        authorized.add(request);
        AuthorizationResult r = decide.apply(request);
        if (r != null && r.success()) {
            sessions.add(request.sessionId());
        }
        return r;
    }

    @Override
    public ReleaseResult release(String sessionId, TerminationCause cause) {
        released.add(new Release(sessionId, cause));
        return new ReleaseResult(sessions.remove(sessionId) ? ResultCode.DIAMETER_SUCCESS : ResultCode.DIAMETER_UNKNOWN_SESSION_ID, null, List.of());
    }

    @Override
    public void peerRestarted(String originHost) {
        restarted.add(originHost);
    }
}
