package org.arbiter.server.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and validates {@code arbiter.yaml}. Unknown keys, wrong types, out-of-range values and
 * missing required values stop startup with a message that names the file:line, the key path, the
 * value and what is allowed. A value is never silently replaced by a default. Relative paths are
 * resolved against the configuration file's directory.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /** Loads and validates a configuration file. */
    public static ArbiterConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "(file)", "cannot read the configuration file: " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(file.toString(), new StringReader(text), base);
    }

    /** Validates configuration text; relative paths resolve against {@code base}. */
    public static ArbiterConfig parse(String name, Reader text, Path base) {
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(false);
        opts.setMaxAliasesForCollections(10);
        Node root;
        try {
            root = new Yaml(opts).compose(text);
        } catch (MarkedYAMLException e) {
            throw new ConfigException(name + ":" + (e.getProblemMark().getLine() + 1) + ":" + (e.getProblemMark().getColumn() + 1),
                    "(syntax)", "not valid YAML: " + e.getProblem());
        } catch (RuntimeException e) {
            throw new ConfigException(name, "(syntax)", "not valid YAML: " + e.getMessage());
        }
        Section top = new Section(name, "", root);
        String nodeId = top.string("node-id", defaultNodeId());
        // the ledger first: the Diameter hand-off's defaults depend on which ledger decides
        ArbiterConfig.Ledger ledger = ledger(top.section("ledger"), base);
        ArbiterConfig.Diameter diameter = diameter(top.section("diameter"), base, ledger.journal());
        ArbiterConfig.Policy policy = policy(top.section("policy"), base);
        ArbiterConfig.Engine engine = engine(top.section("engine"));
        List<ArbiterConfig.Device> devices = devices(top);
        ArbiterConfig.Admin admin = admin(top.section("admin"));
        ArbiterConfig.Cdr cdr = cdr(top.section("cdr"), base);
        top.finish();
        return new ArbiterConfig(nodeId, diameter, ledger, policy, engine, devices, admin, cdr);
    }

    private static String defaultNodeId() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "arbiter";
        }
    }

    private static Path path(Path base, String p) {
        Path x = Path.of(p);
        return x.isAbsolute() || base == null ? x : base.resolve(x).normalize();
    }

    private static ArbiterConfig.Diameter diameter(Section s, Path base, boolean journal) {
        String originHost = s.requiredString("origin-host", "this server's Diameter identity (FQDN or IP literal)");
        String originRealm = s.requiredString("origin-realm", "this server's Diameter realm");
        String listen = s.string("listen", "127.0.0.1");
        int port = (int) s.integer("port", 3868, 0, 65535);
        Section t = s.section("tls");
        boolean tlsOn = t.bool("enabled", false);
        int tlsPort = (int) t.integer("port", 5658, 0, 65535);
        String cert = tlsOn ? t.requiredString("certificate", "a PEM certificate chain file") : t.string("certificate", null);
        String key = tlsOn ? t.requiredString("private-key", "a PEM PKCS#8 private key file") : t.string("private-key", null);
        String trust = tlsOn ? t.requiredString("trusted-certificates", "a PEM file of the CA certificates peers must chain to")
                : t.string("trusted-certificates", null);
        t.finish();
        ArbiterConfig.Tls tls = new ArbiterConfig.Tls(tlsOn, tlsPort, cert == null ? null : path(base, cert),
                key == null ? null : path(base, key), trust == null ? null : path(base, trust));
        List<ArbiterConfig.Peer> peers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Section p : s.list("peers")) {
            String host = p.requiredString("origin-host", "the peer's Origin-Host");
            if (!seen.add(host)) {
                throw new ConfigException(null, p.path() + ".origin-host", "peer '" + host + "' is listed twice");
            }
            String addr = p.string("address", null);
            boolean connect = p.bool("connect", false);
            int pport = (int) p.integer("port", 3868, 1, 65535);
            if (connect && addr == null) {
                throw new ConfigException(null, p.path() + ".address", "missing required value; a peer with connect: true needs an address");
            }
            p.finish();
            peers.add(new ArbiterConfig.Peer(host, addr, connect, pport));
        }
        Duration tw = Duration.ofSeconds(s.integer("watchdog-seconds", 30, 6, 3600));
        // the relational ledger's calls hold a connection of its pool (10) each: a few times that
        // decide at once; the journal ledger's calls wait for a group commit, which many share
        int maxInFlight = (int) s.integer("max-in-flight", journal ? 1024 : 256, 1, 1_000_000);
        int handlerConcurrency = (int) s.integer("handler-concurrency", Math.min(journal ? 512 : 64, maxInFlight), 1, 1_000_000);
        if (handlerConcurrency > maxInFlight) {
            throw new ConfigException(null, s.path() + ".handler-concurrency", "value " + handlerConcurrency
                    + " is more than max-in-flight (" + maxInFlight + "); allowed 1.." + maxInFlight);
        }
        Duration queueDeadline = Duration.ofMillis(s.integer("queue-deadline-ms", 4000, 10, 300_000));
        Duration timeout = Duration.ofMillis(s.integer("request-timeout-ms", 5000, 100, 60_000));
        int maxBytes = (int) s.integer("max-message-bytes", 65_536, 4096, 16 * 1024 * 1024);
        s.finish();
        return new ArbiterConfig.Diameter(originHost, originRealm, listen, port, tls, peers, tw, maxInFlight,
                handlerConcurrency, queueDeadline, timeout, maxBytes);
    }

    private static ArbiterConfig.Ledger ledger(Section s, Path base) {
        // AUTO_SERVER lets the CLI (arbiter ledger, arbiter cdr export) read while the server runs;
        // serve closes the ledger itself on SIGTERM, before the JVM (and H2) shut down
        String url = s.string("url", "jdbc:h2:file:" + path(base, "data/arbiter") + ";AUTO_SERVER=TRUE");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(null, "ledger.url", "invalid value '" + url + "'; expected a jdbc:h2: or jdbc:postgresql: URL");
        }
        if (url.startsWith("jdbc:h2:file:")) {
            // H2 refuses implicitly relative paths; resolve them like every other path here
            String rest = url.substring("jdbc:h2:file:".length());
            int semi = rest.indexOf(';');
            String file = semi < 0 ? rest : rest.substring(0, semi);
            if (!file.startsWith("/") && !file.startsWith("~")) {
                url = "jdbc:h2:file:" + path(base, file) + (semi < 0 ? "" : rest.substring(semi));
            }
        }
        String user = s.string("user", "arbiter");
        String password = s.string("password", "");
        int pool = (int) s.integer("pool-size", 10, 1, 500);
        boolean journal = s.bool("journal", false);
        Path topology = path(base, s.requiredString("topology", "the path of the topology file"));
        s.finish();
        return new ArbiterConfig.Ledger(url, user, password, pool, journal, topology);
    }

    private static ArbiterConfig.Policy policy(Section s, Path base) {
        Path dir = path(base, s.requiredString("dir", "the directory of the policy files"));
        boolean watch = s.bool("watch", true);
        s.finish();
        return new ArbiterConfig.Policy(dir, watch);
    }

    private static ArbiterConfig.Engine engine(Section s) {
        ArbiterConfig.Engine e = new ArbiterConfig.Engine(
                Duration.ofSeconds(s.integer("reserve-timeout-seconds", 30, 1, 3600)),
                Duration.ofSeconds(s.integer("default-authorization-lifetime-seconds", 7200, 10, 7 * 86400)),
                Duration.ofSeconds(s.integer("max-authorization-lifetime-seconds", 86400, 10, 30 * 86400)),
                Duration.ofMillis(s.integer("device-timeout-ms", 2000, 10, 120_000)),
                Duration.ofSeconds(s.integer("expiry-interval-seconds", 5, 1, 3600)),
                Duration.ofSeconds(s.integer("reconcile-interval-seconds", 300, 0, 86400)));
        s.finish();
        return e;
    }

    private static List<ArbiterConfig.Device> devices(Section top) {
        List<ArbiterConfig.Device> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Section d : top.list("devices")) {
            String id = d.requiredString("id", "a device id that the topology refers to");
            if (!ids.add(id)) {
                throw new ConfigException(null, d.path() + ".id", "device '" + id + "' is defined twice");
            }
            String adapter = d.requiredString("adapter", "the name of an adapter plugin (see 'arbiter adapters list')");
            out.add(new ArbiterConfig.Device(id, adapter, d.path() + ".settings", d.raw("settings")));
            d.finish();
        }
        return out;
    }

    private static ArbiterConfig.Admin admin(Section s) {
        boolean enabled = s.bool("enabled", true);
        String listen = s.string("listen", "127.0.0.1");
        int port = (int) s.integer("port", 8080, 0, 65535);
        String token = enabled ? s.requiredString("token", "a bearer token of at least 16 characters") : s.string("token", null);
        if (enabled && token.length() < 16) {
            throw new ConfigException(null, "admin.token", "invalid value '***' (" + token.length()
                    + " characters); expected a bearer token of at least 16 characters");
        }
        s.finish();
        return new ArbiterConfig.Admin(enabled, listen, port, token);
    }

    private static ArbiterConfig.Cdr cdr(Section s, Path base) {
        Path dir = path(base, s.string("dir", "data/cdr"));
        String format = s.oneOf("format", "csv", List.of("csv", "jsonl"));
        long rotateBytes = s.integer("rotate-bytes", 64L * 1024 * 1024, 1024, 1L << 40);
        Duration rotate = Duration.ofSeconds(s.integer("rotate-seconds", 3600, 1, 7 * 86400));
        Duration interim = Duration.ofSeconds(s.integer("interim-seconds", 0, 0, 7 * 86400));
        s.finish();
        return new ArbiterConfig.Cdr(dir, format, rotateBytes, rotate, interim);
    }
}
