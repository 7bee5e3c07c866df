package org.arbiter.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.arbiter.server.ledger.LedgerJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API (JSON), Prometheus metrics and health, documented in
 * {@code docs/admin-api.yaml}.
 *
 * <p>Binds to the configured address (127.0.0.1 by default). Every endpoint but
 * {@code /health/live} and {@code /health/ready} requires {@code Authorization: Bearer <token>};
 * a missing or wrong token gets 401. The token is compared in constant time and never logged.
 * Lists are paginated with {@code limit} (1..1000, default 100) and {@code offset}.
 *
 * <p>Requests run on virtual threads; the view does the blocking work.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final HttpServer http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final byte[] token;
    private final AdminView view;
    private final PrometheusMeterRegistry registry;
    private final ObjectMapper json = LedgerJson.mapper();

    private AdminServer(HttpServer http, String token, AdminView view, PrometheusMeterRegistry registry) {
        this.http = http;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.view = view;
        this.registry = registry;
    }

    /** Starts the server; port 0 picks a free port. */
    public static AdminServer start(String address, int port, String token, AdminView view, PrometheusMeterRegistry registry)
            throws IOException {
        Objects.requireNonNull(token, "token");
        HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 64);
        AdminServer s = new AdminServer(http, token, view, registry);
        http.setExecutor(s.executor);
        http.createContext("/", s::handle);
        http.start();
        LOG.info("admin API listening on {}:{}", address, s.port());
        return s;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** A request error with its HTTP status. */
    static final class HttpError extends RuntimeException {
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            try {
                if (path.equals("/health/live")) {
                    send(ex, 200, Map.of("status", "UP"));
                    return;
                }
                if (path.equals("/health/ready")) {
                    List<AdminView.Check> checks = view.readiness();
                    boolean ready = checks.stream().allMatch(AdminView.Check::ok);
                    send(ex, ready ? 200 : 503, Map.of("status", ready ? "READY" : "NOT_READY", "checks", checks));
                    return;
                }
                if (!authorized(ex)) {
                    ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"arbiter\"");
                    send(ex, 401, Map.of("error", "missing or wrong bearer token"));
                    return;
                }
                route(ex, method, path, query(ex.getRequestURI()));
            } catch (HttpError e) {
                send(ex, e.status, Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
                LOG.error("admin request {} {} failed", method, path, e);
                send(ex, 500, Map.of("error", "internal error: " + e.getClass().getSimpleName()));
            }
        }
    }

    private void route(HttpExchange ex, String method, String path, Map<String, String> q) throws IOException {
        String[] p = path.replaceAll("/+$", "").split("/");
        // p[0] is empty (leading slash)
        if (path.equals("/metrics")) {
            requireMethod(method, "GET");
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
            return;
        }
        if (p.length < 2 || !p[1].equals("api")) {
            throw new HttpError(404, "no such resource: " + path);
        }
        String res = p.length > 2 ? p[2] : "";
        String id = p.length > 3 ? URLDecoder.decode(p[3], StandardCharsets.UTF_8) : null;
        String action = p.length > 4 ? p[4] : null;
        int limit = intParam(q, "limit", 100, 1, 1000);
        int offset = intParam(q, "offset", 0, 0, Integer.MAX_VALUE);
        Object body = switch (res) {
            case "" -> {
                requireMethod(method, "GET");
                Map<String, Object> about = new HashMap<>(view.about());
                about.put("resources", List.of("pools", "sessions", "decisions", "cdrs", "adapters", "policy", "peers"));
                yield about;
            }
            case "pools" -> {
                requireMethod(method, "GET");
                yield view.pools();
            }
            case "sessions" -> {
                requireMethod(method, "GET");
                if (id == null) {
                    yield view.sessions(q.get("subscriber"), q.get("origin-host"), limit, offset);
                }
                yield found(view.session(id), "session " + id);
            }
            case "decisions" -> {
                requireMethod(method, "GET");
                yield view.decisions(q.get("session"), limit, offset);
            }
            case "cdrs" -> {
                requireMethod(method, "GET");
                yield view.chargingRecords(q.get("from"), q.get("to"), limit, offset);
            }
            case "adapters" -> {
                if (id != null && "reconcile".equals(action)) {
                    requireMethod(method, "POST");
                    yield found(view.reconcile(id), "device " + id);
                }
                requireMethod(method, "GET");
                yield view.adapters();
            }
            case "policy" -> {
                if ("reload".equals(id)) {
                    requireMethod(method, "POST");
                    yield view.reloadPolicy();
                }
                requireMethod(method, "GET");
                yield view.policy();
            }
            case "peers" -> {
                requireMethod(method, "GET");
                yield view.peers();
            }
            default -> throw new HttpError(404, "no such resource: " + path);
        };
        send(ex, 200, body);
    }

    private static Object found(Optional<?> o, String what) {
        return o.orElseThrow(() -> new HttpError(404, "no " + what));
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new HttpError(405, "method " + method + " not allowed here; use " + allowed);
        }
    }

    private static int intParam(Map<String, String> q, String name, int dflt, int min, int max) {
        String v = q.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw new HttpError(400, "query parameter " + name + "=" + v + " is out of range [" + min + ", " + max + "]");
            }
            return i;
        } catch (NumberFormatException e) {
            throw new HttpError(400, "query parameter " + name + "=" + v + " is not an integer");
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private boolean authorized(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = h.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
