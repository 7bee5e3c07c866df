package org.arbiter.server.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.engine.AfNotifier;
import org.arbiter.core.engine.EngineSettings;
import org.arbiter.core.engine.Enforcer;
import org.arbiter.core.engine.PdpEngine;
import org.arbiter.core.ledger.Ledger;
import org.arbiter.core.policy.PolicyEngine;
import org.arbiter.server.adapters.AdapterRegistry;
import org.arbiter.server.config.ArbiterConfig;

/**
 * Everything the demo runs on: the engine wired to a ledger, a policy and lab devices, as the
 * server wires them.
 */
final class DemoWorld implements AutoCloseable {

    final Path dir;
    final Ledger ledger;
    final PolicyEngine policy;
    final Map<String, DeviceAdapter> devices;
    final Enforcer enforcer;
    final PdpEngine engine;
    final RecordingNotifier notifier = new RecordingNotifier();
    final String ledgerDescription;
    final org.arbiter.server.cdr.CdrExporter.Source chargingRecords;
    private final AutoCloseable[] closeables;

    private DemoWorld(Path dir, Ledger ledger, String ledgerDescription, PolicyEngine policy,
                      Map<String, DeviceAdapter> devices, org.arbiter.server.cdr.CdrExporter.Source chargingRecords,
                      AutoCloseable... closeables) {
        this.dir = dir;
        this.chargingRecords = chargingRecords;
        this.ledger = ledger;
        this.ledgerDescription = ledgerDescription;
        this.policy = policy;
        this.devices = devices;
        this.enforcer = new Enforcer(devices, Duration.ofSeconds(2));
        this.engine = new PdpEngine(policy, ledger, enforcer, notifier, EngineSettings.defaults(), Clock.systemUTC());
        this.closeables = closeables;
    }

    static DemoWorld create(Path dir) throws IOException {
        Path examples = Files.createDirectories(dir.resolve("examples"));
        DemoEnvironment env = DemoEnvironment.create(dir, examples);
        Map<String, DeviceAdapter> devices = AdapterRegistry.discover(DemoWorld.class.getClassLoader()).create(
                env.deviceIds().stream()
                        .map(id -> new ArbiterConfig.Device(id, "lab", "devices." + id, Map.of("latency-ms", 2L)))
                        .toList());
        return new DemoWorld(dir, env.ledger(), env.ledgerDescription(), env.policy(), devices, env.chargingRecords(),
                env.closeables());
    }

    /** Copies a bundled resource to a file. */
    static Path copyResource(String resource, Path target) {
        try (InputStream in = DemoWorld.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the build lacks the bundled resource " + resource);
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resourceText(String resource) {
        try (InputStream in = DemoWorld.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the build lacks the bundled resource " + resource);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        enforcer.close();
        devices.values().forEach(DeviceAdapter::close);
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // closing at exit: nothing more to do with a failure here
            }
        }
        ledger.close();
    }

    /** Keeps what the engine told the AF, so the demo can show it. */
    static final class RecordingNotifier implements AfNotifier {
        final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void notify(String sessionId, String originHost, org.arbiter.core.session.SpecificAction action) {
            events.add("RAR " + action + " -> " + originHost);
        }

        @Override
        public void abort(String sessionId, String originHost, String reason) {
            events.add("ASR (" + reason + ") -> " + originHost);
        }
    }
}
