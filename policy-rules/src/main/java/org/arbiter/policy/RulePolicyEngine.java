package org.arbiter.policy;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.PolicyEngine;
import org.arbiter.core.policy.PolicyRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's policy files (docs/policy.md) as the PDP's {@link PolicyEngine}, with hot reload.
 *
 * <p><b>Reload.</b> {@link #reload()} (for an admin call or SIGHUP) and the directory watcher
 * ({@link #startWatching()}) both read and validate the whole directory into a new set. Only a set
 * without a single error replaces the running one, in one atomic swap; a set whose content hash
 * equals the running one is not swapped. A refused set leaves the running one in force and its
 * errors in {@link #lastLoadErrors()}. Listeners ({@link #addReloadListener}) and the counters
 * {@link #reloadsApplied()} and {@link #reloadsRejected()} let the server export what happened.
 *
 * <p><b>Watcher.</b> One daemon thread waits on a {@link WatchService} for changes to the
 * directory, lets a burst of changes settle (editors write several events per save), then reloads.
 * It stops when the engine is closed or the directory can no longer be watched (it was removed);
 * the latter is logged, and {@link #reload()} still works once the directory is back.
 *
 * <p><b>Threading.</b> {@link #decide} is lock-free and may run on any number of threads; each
 * decision reads the current set once and finishes on it, so every decision's version and rule
 * come from one set. Reloads are serialised among themselves and never block decisions.
 *
 * <p><b>Errors.</b> {@link #load} throws {@link PolicyLoadException} with every error when the
 * initial set is invalid. {@link #reload()} never throws for bad files. {@link #decide} does not
 * throw for any request; a rule whose condition fails to evaluate rejects with
 * DIAMETER_UNABLE_TO_COMPLY and says so in the trace.
 */
public final class RulePolicyEngine implements PolicyEngine, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RulePolicyEngine.class);

    /** How long the watcher waits for a burst of file events to end before it reloads. */
    static final Duration SETTLE = Duration.ofMillis(200);

    private final Path dir;
    private final Clock clock;
    private final AtomicReference<PolicySet> current;
    private final Object reloadLock = new Object();
    private final List<Consumer<ReloadResult>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile List<PolicyError> lastLoadErrors = List.of();
    private WatchService watchService;
    private Thread watcher;
    private boolean closed;

    private RulePolicyEngine(Path dir, Clock clock, PolicySet set) {
        this.dir = dir;
        this.clock = clock;
        this.current = new AtomicReference<>(set);
    }

    /**
     * Loads and validates the policy directory.
     *
     * @throws PolicyLoadException with every error, when the set is invalid
     */
    public static RulePolicyEngine load(Path dir) {
        return load(dir, Clock.systemUTC());
    }

    /** As {@link #load(Path)}, stamping load times from the given clock. */
    public static RulePolicyEngine load(Path dir, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(clock, "clock");
        PolicyParser.Result r = PolicyParser.load(dir, clock.instant());
        if (!r.ok()) {
            throw new PolicyLoadException(dir.toString(), r.errors());
        }
        LOG.info("policy {} loaded from {}: {}", r.set().version(), dir, r.set().summary());
        return new RulePolicyEngine(dir, clock, r.set());
    }

    @Override
    public Decision decide(PolicyRequest request) {
        Objects.requireNonNull(request, "request");
        return current.get().decide(request);
    }

    /** Content hash and load time of the set in force: {@code 3f2a9c1b0d4e@2026-11-27T07:40:12Z}. */
    /** The media defaults of the set in force (built-in, overridden by the files' media_defaults). */
    @Override
    public org.arbiter.core.qos.MediaDefaults mediaDefaults() {
        return current.get().extractionDefaults();
    }

    @Override
    public String version() {
        return current.get().version();
    }

    /** The directory the policy is loaded from. */
    public Path directory() {
        return dir;
    }

    /** Files, classes, groups, rules and time zone of the set in force, in one line. */
    public String summary() {
        return current.get().summary();
    }

    /**
     * Reads and validates the directory again and, when the set is valid and its content changed,
     * swaps it in. Safe to call from any thread, at any time; concurrent calls run one after the
     * other.
     */
    public ReloadResult reload() {
        ReloadResult result;
        synchronized (reloadLock) {
            PolicySet old = current.get();
            PolicyParser.Result r = PolicyParser.load(dir, clock.instant());
            if (!r.ok()) {
                lastLoadErrors = r.errors();
                rejected.incrementAndGet();
                result = new ReloadResult(ReloadResult.Status.REJECTED, old.version(), old.version(), r.errors(), clock.instant());
                LOG.error("policy reload from {} refused, {} stays in force ({} errors):{}", dir, old.version(),
                        r.errors().size(), lines(r.errors()));
            } else if (r.set().contentHash().equals(old.contentHash())) {
                lastLoadErrors = List.of();
                result = new ReloadResult(ReloadResult.Status.UNCHANGED, old.version(), old.version(), List.of(), clock.instant());
                LOG.debug("policy reload from {}: content unchanged ({})", dir, old.version());
            } else {
                current.set(r.set());
                lastLoadErrors = List.of();
                applied.incrementAndGet();
                result = new ReloadResult(ReloadResult.Status.APPLIED, r.set().version(), old.version(), List.of(), clock.instant());
                LOG.info("policy {} loaded from {} (was {}): {}", r.set().version(), dir, old.version(), r.set().summary());
            }
            for (Consumer<ReloadResult> l : listeners) {
                try {
                    l.accept(result);
                } catch (RuntimeException e) {
                    LOG.warn("policy reload listener {} failed", l, e);
                }
            }
        }
        return result;
    }

    /** The errors of the last refused reload; empty once a reload succeeds (or finds the content unchanged). */
    public List<PolicyError> lastLoadErrors() {
        return lastLoadErrors;
    }

    /** Calls the listener after every reload, on the reloading thread, in reload order. */
    public void addReloadListener(Consumer<ReloadResult> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** How many reloads swapped in a new set. */
    public long reloadsApplied() {
        return applied.get();
    }

    /** How many reloads were refused for errors. */
    public long reloadsRejected() {
        return rejected.get();
    }

    /**
     * Starts the directory watcher (idempotent).
     *
     * @throws UncheckedIOException when the directory cannot be watched
     * @throws IllegalStateException after {@link #close()}
     */
    public void startWatching() {
        startWatching(SETTLE);
    }

    synchronized void startWatching(Duration settle) {
        if (closed) {
            throw new IllegalStateException("the policy engine for " + dir + " is closed");
        }
        if (watcher != null) {
            return;
        }
        try {
            WatchService ws = dir.getFileSystem().newWatchService();
            try {
                dir.register(ws, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
            } catch (IOException | RuntimeException e) {
                ws.close();
                throw e;
            }
            watchService = ws;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch the policy directory " + dir, e);
        }
        WatchService ws = watchService;
        watcher = Thread.ofPlatform().daemon().name("policy-watch").start(() -> watch(ws, settle));
        LOG.info("watching {} for policy changes", dir);
    }

    private void watch(WatchService ws, Duration settle) {
        try {
            while (true) {
                boolean valid = drain(ws.take());
                WatchKey more;
                while ((more = ws.poll(settle.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    valid &= drain(more);
                }
                try {
                    reload();
                } catch (RuntimeException e) {
                    LOG.error("policy reload from {} failed unexpectedly; the running set stays in force", dir, e);
                }
                if (!valid) {
                    LOG.error("the policy directory {} can no longer be watched (was it removed?); changes are not picked up "
                            + "until it is back and reload() is called", dir);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            LOG.debug("policy watcher for {} stopped", dir);
        }
    }

    private static boolean drain(WatchKey key) {
        key.pollEvents();
        return key.reset();
    }

    /** Stops the watcher, if any, and waits for it to end. Decisions keep working on the last set. */
    @Override
    public void close() {
        Thread w;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            w = watcher;
            if (watchService != null) {
                try {
                    watchService.close();
                } catch (IOException e) {
                    LOG.warn("closing the policy watcher for {} failed", dir, e);
                }
            }
        }
        if (w != null) {
            try {
                w.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String lines(List<PolicyError> errors) {
        StringBuilder sb = new StringBuilder();
        for (PolicyError e : errors) {
            sb.append(System.lineSeparator()).append("  ").append(e);
        }
        return sb.toString();
    }
}
