package org.arbiter.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP on loopback. */
class AdminApiIT {

    static final String TOKEN = "test-token-0123456789";
    final AtomicInteger reloads = new AtomicInteger();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final HttpClient client = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    volatile boolean ledgerUp = true;
    AdminServer server;

    record Row(String id, int n) {}

    final AdminView view = new AdminView() {
        final List<Row> sessions = IntStream.range(0, 250).mapToObj(i -> new Row("s" + i, i)).toList();

        @Override
        public List<?> pools() {
            return List.of(Map.of("id", "bras-1", "children", List.of(Map.of("id", "line-1"))));
        }

        @Override
        public Page<?> sessions(String subscriber, String originHost, int limit, int offset) {
            return Page.of(subscriber == null ? sessions : sessions.stream().filter(r -> r.id().equals(subscriber)).toList(), limit, offset);
        }

        @Override
        public Optional<?> session(String sessionId) {
            return sessions.stream().filter(r -> r.id().equals(sessionId)).findFirst();
        }

        @Override
        public Page<?> decisions(String sessionId, int limit, int offset) {
            return Page.of(List.of(new Row("d1", 1)), limit, offset);
        }

        @Override
        public Page<?> chargingRecords(String from, String to, int limit, int offset) {
            return Page.of(List.of(new Row("c1", 1)), limit, offset);
        }

        @Override
        public List<?> adapters() {
            return List.of(Map.of("device", "dslam-1", "health", "UP"));
        }

        @Override
        public Optional<?> reconcile(String deviceId) {
            return deviceId.equals("dslam-1") ? Optional.of(Map.of("device", deviceId, "reapplied", 0)) : Optional.empty();
        }

        @Override
        public Object policy() {
            return Map.of("version", "abc123", "errors", List.of());
        }

        @Override
        public Object reloadPolicy() {
            return Map.of("reloaded", reloads.incrementAndGet());
        }

        @Override
        public List<?> peers() {
            return List.of(Map.of("host", "pcscf.example.net", "state", "OPEN"));
        }

        @Override
        public List<Check> readiness() {
            return List.of(new Check("ledger", ledgerUp, ledgerUp ? "" : "connection refused"));
        }
    };

    @BeforeEach
    void start() throws Exception {
        registry.counter("arbiter_test_requests", "command", "AAR").increment(3);
        server = AdminServer.start("127.0.0.1", 0, TOKEN, view, registry);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> call(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = call("GET", path, TOKEN);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    @Test
    void requestWithoutTokenGets401() throws Exception {
        HttpResponse<String> r = call("GET", "/api/pools", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void requestWithWrongTokenGets401() throws Exception {
        assertThat(call("GET", "/api/sessions", "test-token-0123456780").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/metrics", "x").statusCode()).isEqualTo(401);
    }

    @Test
    void livenessNeedsNoToken() throws Exception {
        assertThat(call("GET", "/health/live", null).statusCode()).isEqualTo(200);
    }

    @Test
    void readinessFollowsTheChecks() throws Exception {
        assertThat(call("GET", "/health/ready", null).statusCode()).isEqualTo(200);
        ledgerUp = false;
        HttpResponse<String> r = call("GET", "/health/ready", null);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("connection refused");
    }

    @Test
    void sessionsArePaginated() throws Exception {
        JsonNode first = get("/api/sessions");
        assertThat(first.get("items")).hasSize(100);
        assertThat(first.get("next").asInt()).isEqualTo(100);
        JsonNode last = get("/api/sessions?limit=100&offset=200");
        assertThat(last.get("items")).hasSize(50);
        assertThat(last.get("next").isNull()).isTrue();
        assertThat(get("/api/sessions?subscriber=s7").get("items")).hasSize(1);
    }

    @Test
    void badPaginationGets400() throws Exception {
        assertThat(call("GET", "/api/sessions?limit=0", TOKEN).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/sessions?offset=abc", TOKEN).body()).contains("not an integer");
    }

    @Test
    void oneSessionOr404() throws Exception {
        assertThat(get("/api/sessions/s42").get("n").asInt()).isEqualTo(42);
        assertThat(call("GET", "/api/sessions/nope", TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void everyResourceAnswers() throws Exception {
        assertThat(get("/api/pools").get(0).get("id").asText()).isEqualTo("bras-1");
        assertThat(get("/api/decisions?session=s1").get("items")).hasSize(1);
        assertThat(get("/api/cdrs?from=2026-01-01T00:00:00Z").get("items")).hasSize(1);
        assertThat(get("/api/adapters").get(0).get("health").asText()).isEqualTo("UP");
        assertThat(get("/api/policy").get("version").asText()).isEqualTo("abc123");
        assertThat(get("/api/peers").get(0).get("state").asText()).isEqualTo("OPEN");
        assertThat(get("/api").get("resources")).hasSize(7);
    }

    @Test
    void policyReloadNeedsPost() throws Exception {
        assertThat(call("GET", "/api/policy/reload", TOKEN).statusCode()).isEqualTo(405);
        assertThat(call("POST", "/api/policy/reload", TOKEN).statusCode()).isEqualTo(200);
        assertThat(reloads.get()).isEqualTo(1);
    }

    @Test
    void reconcileOfUnknownDeviceGets404() throws Exception {
        assertThat(call("POST", "/api/adapters/dslam-1/reconcile", TOKEN).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/api/adapters/nope/reconcile", TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void metricsAreScrapedInPrometheusFormat() throws Exception {
        HttpResponse<String> r = call("GET", "/metrics", TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(r.body().lines().filter(l -> l.startsWith("arbiter_test_requests_total{")))
                .singleElement().satisfies(l -> assertThat(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).isEqualTo(3.0));
    }

    @Test
    void unknownPathGets404() throws Exception {
        assertThat(call("GET", "/api/nothing", TOKEN).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/elsewhere", TOKEN).statusCode()).isEqualTo(404);
    }
}
