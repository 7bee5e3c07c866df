package org.arbiter.adapter.snmp;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.arbiter.core.adapter.AdapterConfig;

/**
 * A private net-snmp {@code snmpd} on 127.0.0.1 with the QoS table simulator ({@code qos_sim.pl},
 * embedded Perl) for the integration tests: its own temp directory, configuration and free UDP
 * port, started here and stopped by {@link #close()} (only this process).
 *
 * <p>Access: v2c communities {@link #RW} (write view: the QoS tables) and {@link #RO}; SNMPv3 users
 * {@link #USER} (SHA-256/AES-128) and {@link #USER_512} (SHA-512/AES-256) in a group that requires
 * authPriv, and {@link #USER_NO_PRIV} (SHA-256, no privacy key) in the same group.
 *
 * <p>Public, and packaged in the module's test-jar, so that the end-to-end tests enforce sessions
 * on the same device.
 */
public final class SnmpTestBed implements AutoCloseable {

    public static final String RW = "qos-rw-community";
    public static final String RO = "qos-ro-community";
    public static final String USER = "qosv3";
    public static final String USER_512 = "qosv3-512";
    public static final String USER_NO_PRIV = "qosv3-nopriv";
    public static final String AUTH_PASS = "qosv3-auth-pass";
    public static final String PRIV_PASS = "qosv3-priv-pass";

    /** The simulator's status scalar counting SET requests. */
    public static final String SET_COUNTER = ".1.3.6.1.4.1.8072.9999.9999.0.2.0";

    /** docsIetfQosServiceClassTable (DOCS-IETF-QOS-MIB, RFC 4323) entry. */
    public static final String SERVICE_CLASS = ".1.3.6.1.2.1.127.1.8.1";
    /** Its RowStatus column. */
    public static final String SERVICE_CLASS_STATUS = SERVICE_CLASS + ".2";
    /** Its MaxTrafficRate column (bit/s). */
    public static final String SERVICE_CLASS_MAX_RATE = SERVICE_CLASS + ".4";
    /** Its MinReservedRate column (bit/s). */
    public static final String SERVICE_CLASS_MIN_RATE = SERVICE_CLASS + ".6";
    /** The label table's reservation id column (same index as the service class). */
    public static final String LABEL_ID = ".1.3.6.1.4.1.8072.9999.9999.127.1.1.2";
    /** The policer table's reservation id and rate (kbit/s) columns. */
    public static final String POLICER_ID = ".1.3.6.1.4.1.8072.9999.9999.97.1.1.2";
    public static final String POLICER_RATE_KBPS = ".1.3.6.1.4.1.8072.9999.9999.97.1.1.8";
    /** The small policer table's entry: room for two rows, so a third is refused (resourceUnavailable). */
    public static final String SMALL_POLICER = ".1.3.6.1.4.1.8072.9999.9999.97.2.1";
    /** A device model on the small policer table, as an operator would add it in a model directory. */
    public static final String SMALL_POLICER_MODEL = """
            model: small-policer
            index: {kind: hash31, probe: 2}
            tables:
              - name: smallPolicerTable
                entry: 1.3.6.1.4.1.8072.9999.9999.97.2.1
                row-status: 12
                columns:
                  - {name: smallPolicerReservationId, column: 2, type: string, value: id}
                  - {name: smallPolicerAddrType, column: 3, type: integer, value: address-type}
                  - {name: smallPolicerAddr, column: 4, type: octets, value: address-octets, max-length: 16}
                  - {name: smallPolicerRate, column: 8, type: unsigned, value: rate-kbps}
            """;

    private final Path dir;
    private final int port;
    private final Process snmpd;

    private SnmpTestBed(Path dir, int port, Process snmpd) {
        this.dir = dir;
        this.port = port;
        this.snmpd = snmpd;
    }

    /** Starts snmpd and waits (at most 15 s) until the simulator answers. */
    public static SnmpTestBed start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("arbiter-snmpd-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectories(dir.resolve("data/persist"));
        for (Path p : List.of(dir.resolve("data"), data)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Files.createDirectories(dir.resolve("cli"));
        try (InputStream sim = SnmpTestBed.class.getResourceAsStream("qos_sim.pl")) {
            Files.copy(Objects.requireNonNull(sim, "qos_sim.pl on the test class path"), dir.resolve("qos_sim.pl"));
        }
        int port = freeUdpPort();
        Files.writeString(dir.resolve("snmpd.conf"), String.join("\n",
                "agentAddress udp:127.0.0.1:" + port,
                "sysLocation loopback test bed",
                "view allview included .1",
                "view writeview included .1.3.6.1.2.1.127",
                "view writeview included .1.3.6.1.4.1.8072.9999.9999",
                "com2sec qosRO 127.0.0.1 " + RO,
                "com2sec qosRW 127.0.0.1 " + RW,
                "group grpRO v2c qosRO",
                "group grpRW v2c qosRW",
                "access grpRO \"\" any noauth exact allview none none",
                "access grpRW \"\" any noauth exact allview writeview none",
                "createUser " + USER + " SHA-256 \"" + AUTH_PASS + "\" AES \"" + PRIV_PASS + "\"",
                "createUser " + USER_512 + " SHA-512 \"" + AUTH_PASS + "\" AES-256 \"" + PRIV_PASS + "\"",
                "createUser " + USER_NO_PRIV + " SHA-256 \"" + AUTH_PASS + "\"",
                "group grpV3 usm " + USER,
                "group grpV3 usm " + USER_512,
                "group grpV3 usm " + USER_NO_PRIV,
                "access grpV3 \"\" usm priv exact allview writeview none",
                "perl do \"" + dir.resolve("qos_sim.pl") + "\";",
                ""));
        List<String> cmd = new ArrayList<>();
        if (isRoot()) {
            cmd.addAll(List.of("setpriv", "--reuid", "Debian-snmp", "--regid", "Debian-snmp", "--clear-groups"));
        }
        cmd.addAll(List.of("/usr/sbin/snmpd", "-f", "-C", "-c", dir.resolve("snmpd.conf").toString(), "-I", "-smux",
                "-Lf", dir.resolve("data/snmpd.log").toString(), "-p", dir.resolve("data/snmpd.pid").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("snmpd.out").toFile());
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "MIBS", "",
                "SNMP_PERSISTENT_DIR", data.toString(), "QOS_SIM_LOG", dir.resolve("data/sim.log").toString(),
                "QOS_SIM_MAX_ROWS", "1000", "QOS_SIM_SMALL_ROWS", "2"));
        SnmpTestBed bed = new SnmpTestBed(dir, port, pb.start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!bed.snmpd.isAlive()) {
                throw new IOException("snmpd exited with " + bed.snmpd.exitValue() + ": " + bed.logs());
            }
            String status = bed.cli(Duration.ofSeconds(5), "snmpget", "-v2c", "-c", RO, "-On", "-Oqv", "-t", "0.3", "-r", "0",
                    bed.agent(), ".1.3.6.1.4.1.8072.9999.9999.0.1.0");
            if (status.contains("qos-sim")) {
                return bed;
            }
            new CountDownLatch(1).await(50, TimeUnit.MILLISECONDS);
        }
        bed.close();
        throw new IOException("snmpd did not answer within 15 s: " + bed.logs());
    }

    private static boolean isRoot() {
        try {
            return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return false;
        }
    }

    /** A UDP port on 127.0.0.1 that nothing listens on (bound to port 0, read back, released). */
    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String agent() {
        return "udp:127.0.0.1:" + port;
    }

    /** A configuration section for this agent (or another port), with the keys given added. */
    public static AdapterConfig config(int port, String model, Map<String, Object> extra) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("host", "127.0.0.1");
        s.put("port", port);
        s.put("model", model);
        s.putAll(extra);
        return new AdapterConfig("snmp-test", "devices[0].settings", s);
    }

    public static Map<String, Object> v3(String user) {
        return Map.of("version", 3, "user", user, "auth-passphrase", AUTH_PASS, "priv-passphrase", PRIV_PASS);
    }

    public static Map<String, Object> v2c(String community) {
        return Map.of("version", "2c", "community", community);
    }

    /** Runs a net-snmp command line tool against this bed's client state; its standard output. */
    public String cli(Duration timeout, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true);
        pb.environment().put("SNMP_PERSISTENT_DIR", dir.resolve("cli").toString());
        pb.environment().put("MIBS", "");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", args) + " did not finish within " + timeout);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /**
     * snmpwalk (v2c, read-only community) of a subtree: OID to printed value, values unquoted; empty
     * when the subtree holds no instance.
     */
    public Map<String, String> walk(String oid) throws IOException, InterruptedException {
        String out = cli(Duration.ofSeconds(10), "snmpwalk", "-v2c", "-c", RO, "-On", "-Oq", "-t", "2", "-r", "1", agent(), oid);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int sp = line.indexOf(' ');
            if (!line.startsWith(".") || sp < 0) {
                if (!line.isBlank() && !line.contains("No Such") && !line.contains("No more variables")) {
                    throw new IOException("snmpwalk " + oid + ": " + out);
                }
                continue;
            }
            String v = line.substring(sp + 1);
            if (v.startsWith("No Such Instance") || v.startsWith("No Such Object") || v.startsWith("No more variables")) {
                continue; // an empty subtree: snmpwalk falls back to a GET of the root OID
            }
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1).replace("\\\"", "\"");
            }
            values.put(line.substring(0, sp), v);
        }
        return values;
    }

    /** snmpget (v2c, read-only community) of one instance: the printed value without quotes. */
    public String get(String oid) throws IOException, InterruptedException {
        String out = cli(Duration.ofSeconds(10), "snmpget", "-v2c", "-c", RO, "-On", "-Oqv", "-t", "2", "-r", "1", agent(), oid).trim();
        return out.length() >= 2 && out.startsWith("\"") && out.endsWith("\"") ? out.substring(1, out.length() - 1) : out;
    }

    /** snmpset (v2c, read-write community); the tool's output. */
    public String set(String... oidTypeValue) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("snmpset", "-v2c", "-c", RW, "-On", "-t", "2", "-r", "1", agent()));
        cmd.addAll(List.of(oidTypeValue));
        return cli(Duration.ofSeconds(10), cmd.toArray(String[]::new));
    }

    /** How many SET requests the simulator has seen. */
    public long setRequests() throws IOException, InterruptedException {
        return Long.parseLong(get(SET_COUNTER));
    }

    /**
     * Rows of a table as the device holds them, read with the CLI: the id column's values joined
     * with a rate column by row index.
     *
     * @param idColumn the OID of the column holding reservation ids
     * @param rateColumn the OID of the rate column
     * @param rateUnit what one unit of the rate column is in bit/s
     */
    public List<String[]> rows(String idColumn, String rateColumn, long rateUnit) throws IOException, InterruptedException {
        Map<String, String> ids = walk(idColumn);
        Map<String, String> rates = new HashMap<>();
        walk(rateColumn).forEach((oid, v) -> rates.put(oid.substring(rateColumn.length()), v));
        List<String[]> rows = new ArrayList<>();
        ids.forEach((oid, id) -> {
            String rate = rates.get(oid.substring(idColumn.length()));
            rows.add(new String[] {id, rate == null ? "-1" : String.valueOf(Long.parseLong(rate) * rateUnit)});
        });
        return rows;
    }

    public String logs() {
        StringBuilder b = new StringBuilder();
        for (String f : List.of("snmpd.out", "data/snmpd.log")) {
            try {
                b.append(f).append(": ").append(Files.readString(dir.resolve(f))).append('\n');
            } catch (IOException e) {
                b.append(f).append(": (").append(e.getMessage()).append(")\n");
            }
        }
        return b.toString();
    }

    /** Stops snmpd (SIGTERM, then SIGKILL after 5 s) and deletes the directory. */
    @Override
    public void close() throws IOException {
        snmpd.destroy();
        try {
            if (!snmpd.waitFor(5, TimeUnit.SECONDS)) {
                snmpd.destroyForcibly();
                snmpd.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
