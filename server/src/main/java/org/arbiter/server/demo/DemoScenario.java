package org.arbiter.server.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.arbiter.core.adapter.DeviceAdapter;
import org.arbiter.core.engine.AuthorizationResult;
import org.arbiter.core.engine.ReleaseResult;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.Hold;
import org.arbiter.core.ledger.PoolUsage;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.qos.FlowRequirement;
import org.arbiter.core.qos.QosRequirement;
import org.arbiter.core.session.FlowStatus;
import org.arbiter.core.session.MediaComponent;
import org.arbiter.core.session.MediaSubComponent;
import org.arbiter.core.session.MediaType;
import org.arbiter.core.session.RxRequest;
import org.arbiter.core.session.SpecificAction;
import org.arbiter.core.session.SubscriptionId;
import org.arbiter.core.session.TerminationCause;

/**
 * The demo's story: two players, two access networks, one session accepted with a modification,
 * one refused for lack of capacity, then release and billing. Every number printed comes from the
 * engine, the ledger or the devices.
 */
final class DemoScenario {

    private static final String PCSCF = "pcscf.demo.arbiter";
    private static final String ALICE = "10.1.0.7";
    private static final String BOB = "10.2.0.9";

    private final DemoWorld world;
    private final PrintWriter out;

    DemoScenario(DemoWorld world, PrintWriter out) {
        this.world = world;
        this.out = out;
    }

    boolean play() {
        out.println("Arbiter demo: an e-gaming session between two access networks");
        out.println("  ledger: " + world.ledgerDescription + "   policy: " + world.policy.version()
                + "   devices: " + String.join(", ", world.devices.keySet()) + " (lab)");
        out.println();

        RxRequest game = request("pcscf.demo.arbiter;1001;1", "sip:alice@demo.arbiter", List.of(
                component(1, MediaType.AUDIO, 16000, 26000, "alice-audio.offer.sdp", "bob-audio.answer.sdp", 64_000, 80_000),
                component(2, MediaType.APPLICATION, 16004, 26004, "alice-game.offer.sdp", "bob-game.answer.sdp", -1, -1)));
        out.println("1. INVITE/200 OK: alice (" + ALICE + ", DSL) offers, bob (" + BOB + ", cable) answers");
        Map<String, long[]> before = usage();
        AuthorizationResult r1 = world.engine.authorize(game);
        printRequirements(r1);
        if (!r1.success()) {
            out.println("   unexpected: " + r1.code() + " " + r1.message());
            return false;
        }
        out.println();
        out.println("2. Decision: " + r1.decision().verdict() + " by rule '" + r1.decision().ruleId()
                + "' (policy " + r1.decision().policyVersion() + ")");
        for (FlowGrant g : r1.decision().grants()) {
            out.printf("   flow %-4s %-9s UL %6s  DL %6s  latency %-6s DSCP %-2d QCI %s%s%n", g.key(), g.sessionClass(),
                    kbit(g.uplinkBps()), kbit(g.downlinkBps()), g.maxLatencyMs() == null ? "-" : g.maxLatencyMs() + " ms",
                    g.dscp(), g.qci() == null ? "-" : g.qci(), g.modified() ? "  (modified)" : "");
        }
        out.println();
        out.println("3. Admission: " + r1.holds().size() + " holds on both access paths, all-or-nothing");
        printPools(before, usage());
        out.println();
        out.println("4. Enforcement: reservations on the devices");
        for (var e : world.devices.entrySet()) {
            DeviceAdapter d = e.getValue();
            out.printf("   %-8s %d reservations%n", e.getKey(), d.list(Duration.ofSeconds(2)).reservations().size());
        }
        out.println("   ACK: QoS provisioning complete"
                + (game.specificActions().contains(SpecificAction.INDICATION_OF_SUCCESSFUL_RESOURCES_ALLOCATION)
                        ? " (RAR Specific-Action INDICATION_OF_SUCCESSFUL_RESOURCES_ALLOCATION to " + PCSCF + ")" : ""));
        out.println();

        RxRequest video = request("pcscf.demo.arbiter;1002;1", "sip:alice@demo.arbiter", List.of(
                component(1, MediaType.VIDEO, 16008, 26008, "alice-video.offer.sdp", "carol-video.answer.sdp", 3_500_000, 3_500_000)));
        out.println("5. A second session from alice: video at 3500 kbit/s each way, on the same line");
        AuthorizationResult r2 = world.engine.authorize(video);
        out.println("   " + (r2.success() ? "accepted (unexpected)" : "refused: " + r2.code().code() + " " + r2.code()));
        out.println("   " + r2.message());
        if (!r2.acceptable().isEmpty()) {
            for (FlowGrant g : r2.acceptable()) {
                out.printf("   could grant instead: flow %s UL %s DL %s (Acceptable-Service-Info)%n", g.key(),
                        kbit(g.uplinkBps()), kbit(g.downlinkBps()));
            }
        }
        boolean refused = !r2.success();
        out.println();

        out.println("6. BYE -> STR: release");
        Map<String, long[]> beforeRelease = usage();
        ReleaseResult rel = world.engine.release(game.sessionId(), TerminationCause.DIAMETER_LOGOUT);
        out.println("   " + rel.code() + ": " + (rel.release() == null ? 0 : rel.release().holds().size())
                + " holds released, devices now hold " + world.devices.values().stream()
                        .mapToInt(d -> d.list(Duration.ofSeconds(2)).reservations().size()).sum() + " reservations");
        printPools(beforeRelease, usage());
        ReleaseResult again = world.engine.release(game.sessionId(), TerminationCause.DIAMETER_LOGOUT);
        out.println("   a repeated STR gets " + again.code().code() + " " + again.code());
        out.println();

        out.println("7. Billing record");
        if (rel.release() != null) {
            printRecord(rel.release().record());
            exportRecords();
        }
        out.println();
        out.println("Done: the session was modified by the answer, admitted on both paths, enforced, released and billed;"
                + " the second session was " + (refused ? "refused" : "NOT refused") + ".");
        return refused && rel.code().success();
    }

    private RxRequest request(String sessionId, String subscriber, List<MediaComponent> components) {
        return new RxRequest(sessionId, PCSCF, "demo.arbiter", List.of(new SubscriptionId(SubscriptionId.Type.END_USER_SIP_URI, subscriber)),
                ALICE, components,
                Set.of(SpecificAction.INDICATION_OF_LOSS_OF_BEARER, SpecificAction.INDICATION_OF_SUCCESSFUL_RESOURCES_ALLOCATION),
                null, "IMS Services", Duration.ofHours(2), Instant.now());
    }

    /** A media component as Kamailio's ims_qos builds it for the originating side. */
    private static MediaComponent component(int n, MediaType type, int offerPort, int answerPort, String offer, String answer,
                                            long ul, long dl) {
        List<String> fd = List.of(
                "permit out 17 from " + BOB + " " + answerPort + " to " + ALICE + " " + offerPort,
                "permit in 17 from " + ALICE + " " + offerPort + " to " + BOB + " " + answerPort);
        return new MediaComponent(n, type, List.of(new MediaSubComponent(n, fd, null, 0, -1, -1)), ul, dl, -1, -1,
                FlowStatus.ENABLED, List.of(
                        "uplink\noffer\n" + DemoWorld.resourceText("/demo/" + offer) + "\0",
                        "downlink\nanswer\n" + DemoWorld.resourceText("/demo/" + answer) + "\0"));
    }

    private void printRequirements(AuthorizationResult r) {
        for (FlowRequirement f : r.flows()) {
            QosRequirement o = f.offerDownlink();
            QosRequirement a = f.downlink();
            out.printf("   flow %-4s %-11s offer %s   answer %s%s%n", f.key(), f.mediaType().name().toLowerCase(),
                    describe(f.offerUplink(), o), describe(f.uplink(), a),
                    f.modified() ? "   modified: " + f.modifications() : "");
        }
    }

    private static String describe(QosRequirement ul, QosRequirement dl) {
        if (dl == null) {
            return "-";
        }
        return (dl.sessionClass() == null ? "" : dl.sessionClass() + " ") + "UL " + kbit(ul == null ? 0 : ul.bandwidthBps())
                + " DL " + kbit(dl.bandwidthBps()) + (dl.maxLatencyMs() == null ? "" : " " + dl.maxLatencyMs() + " ms");
    }

    private Map<String, long[]> usage() {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (PoolUsage u : world.ledger.pools()) {
            m.put(u.pool().id(), new long[] {u.headroomUplinkBps(), u.headroomDownlinkBps(),
                u.pool().admissible(org.arbiter.core.qos.Direction.UPLINK),
                u.pool().admissible(org.arbiter.core.qos.Direction.DOWNLINK)});
        }
        return m;
    }

    private void printPools(Map<String, long[]> before, Map<String, long[]> after) {
        out.printf("   %-16s %-12s %-23s %-23s%n", "pool", "device", "headroom UL before/after", "headroom DL before/after");
        Map<String, String> device = new HashMap<>();
        world.ledger.pools().forEach(u -> device.put(u.pool().id(), u.pool().deviceId()));
        for (var e : after.entrySet()) {
            long[] b = before.get(e.getKey());
            long[] a = e.getValue();
            if (b[0] == a[0] && b[1] == a[1]) {
                continue;
            }
            out.printf("   %-16s %-12s %10s -> %-10s %10s -> %-10s%n", e.getKey(), device.getOrDefault(e.getKey(), "-"),
                    kbit(b[0]), kbit(a[0]), kbit(b[1]), kbit(a[1]));
        }
    }

    /** Exports the ledger's records as the server does, and shows the sealed file. */
    private void exportRecords() {
        java.nio.file.Path cdrDir = world.dir.resolve("cdr");
        try (var writer = new org.arbiter.server.cdr.RotatingCdrWriter(cdrDir, "demo", org.arbiter.server.cdr.CdrFormat.CSV,
                1 << 20, Duration.ofHours(1), java.time.Clock.systemUTC());
             var exporter = new org.arbiter.server.cdr.CdrExporter(world.chargingRecords, writer, cdrDir, Duration.ZERO,
                     java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMillis(1)))) {
            int n = exporter.exportOnce(1000);
            java.nio.file.Path file = writer.current();
            exporter.close();
            java.nio.file.Path sealed = file == null ? null
                    : file.resolveSibling(file.getFileName().toString().replace(".open", ""));
            out.println("   " + n + " record(s) exported to " + sealed);
            if (sealed != null) {
                java.util.List<String> lines = java.nio.file.Files.readAllLines(sealed);
                lines.stream().skip(1).findFirst().ifPresent(l -> out.println("   " + (l.length() > 160 ? l.substring(0, 157) + "..." : l)));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("exporting the demo's billing records to " + cdrDir, e);
        }
    }

    private void printRecord(ChargingRecord c) {
        out.println("   record " + c.recordId() + "  session " + c.sessionId() + "  subscriber " + c.subscriber());
        out.println("   started " + c.startedAt() + "  stopped " + c.stoppedAt() + "  cause " + c.cause()
                + "  policy " + c.policyVersion() + "/" + c.ruleId() + (c.modified() ? "  (modified grant)" : ""));
        Map<String, Long> byFlow = new TreeMap<>();
        List<String> pools = new ArrayList<>();
        for (ChargingRecord.ChargedFlow f : c.flows()) {
            byFlow.merge("flow " + f.flow() + " " + f.direction().label() + " @" + f.partyAddress(), f.bandwidthBps(), Math::max);
            if (!pools.contains(f.poolId())) {
                pools.add(f.poolId());
            }
        }
        byFlow.forEach((k, v) -> out.println("   " + k + ": " + kbit(v)));
        out.println("   pools charged: " + String.join(", ", pools));
    }

    static String kbit(long bps) {
        if (bps >= 1_000_000) {
            return String.format(java.util.Locale.ROOT, "%.1fM", bps / 1e6);
        }
        return bps / 1000 + "k";
    }

}
