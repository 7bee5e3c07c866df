package org.arbiter.adapter.netconf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.arbiter.core.adapter.AdapterConfig;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A private NETCONF device for the integration tests: yuma123 {@code netconfd} behind a private
 * OpenSSH {@code sshd} on 127.0.0.1, each in its own temp directory with its own configuration,
 * host key and free port, started here and stopped by {@link #close()} (only these two processes).
 *
 * <pre>
 * client --ssh 127.0.0.1:PORT--&gt; sshd (root, own sshd_config and ECDSA host key)
 *        subsystem netconf -&gt; /usr/sbin/netconf-subsystem --ncxserver-sockname=PORT@DIR/nc/ncxserver.sock
 *                                  --UNIX socket--&gt; netconfd (an unprivileged uid without passwd entry)
 * </pre>
 * netconfd runs under a numeric uid that has no passwd entry, so it takes its work directory
 * ({@code ~/.yuma}) from {@code HOME}, here inside the temp directory; as root it would use
 * {@code /root/.yuma}. sshd admits only root with the bed's own ECDSA key
 * ({@code PermitRootLogin prohibit-password}), so every password is refused. sshd needs its
 * privilege separation directory {@code /run/sshd}, which the bed creates when it is missing.
 *
 * <p>The YANG modules come from the adapter's resources ({@code arbiter-qos}, and with
 * {@code interfaces} also {@code ietf-interfaces}, {@code iana-if-type} and
 * {@code arbiter-if-policer}); netconfd serves them without SIL code, from the schema alone.
 *
 * <p>Public, and packaged in the module's test-jar, so that the end-to-end tests enforce sessions
 * on the same device.
 */
public final class NetconfTestBed implements AutoCloseable {

    /** Where edits go on the device. */
    public enum Target { CANDIDATE, RUNNING }

    public static final String USER = "root";
    private static final String QOS_NS = "urn:arbiter:qos";

    private final Path dir;
    private final int port;
    private final Target target;
    private final Process sshd;
    private final Process netconfd;

    private NetconfTestBed(Path dir, int port, Target target, Process sshd, Process netconfd) {
        this.dir = dir;
        this.port = port;
        this.target = target;
        this.sshd = sshd;
        this.netconfd = netconfd;
    }

    /** Starts the bed and waits (at most 20 s) until sshd accepts and netconfd listens. */
    public static NetconfTestBed start(Target target, boolean interfaces) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("arbiter-netconfd-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int uid = unusedUid();
        Path nc = Files.createDirectories(dir.resolve("nc"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path yang = Files.createDirectories(dir.resolve("yang"));
        List<String> modules = new ArrayList<>(List.of("arbiter-qos@2026-01-01"));
        if (interfaces) {
            modules.add("arbiter-if-policer@2026-01-01");
        }
        for (String m : modules) {
            try (InputStream in = NetconfTestBed.class.getResourceAsStream("/org/arbiter/adapter/netconf/yang/" + m + ".yang")) {
                Files.copy(Objects.requireNonNull(in, m + ".yang on the class path"), yang.resolve(m + ".yang"));
            }
        }
        Files.writeString(nc.resolve("startup-cfg.xml"), "<config/>\n");
        for (Path p : List.of(nc, home, nc.resolve("startup-cfg.xml"))) {
            Files.setAttribute(p, "unix:uid", uid);
            Files.setAttribute(p, "unix:gid", uid);
        }
        run(dir, "ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-C", "bed-host", "-f", dir.resolve("host_ecdsa").toString());
        run(dir, "ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-C", "bed-client", "-f", dir.resolve("client_ecdsa").toString());
        Files.copy(dir.resolve("client_ecdsa.pub"), dir.resolve("authorized_keys"));
        int port = freeTcpPort();
        String[] hostKey = Files.readString(dir.resolve("host_ecdsa.pub")).strip().split(" ");
        Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + hostKey[0] + " " + hostKey[1] + "\n");
        Path socket = nc.resolve("ncxserver.sock");
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_ecdsa"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "PasswordAuthentication yes",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "UsePAM no",
                "AllowUsers " + USER,
                "MaxStartups 64",
                "LogLevel VERBOSE",
                "Subsystem netconf /usr/sbin/netconf-subsystem --ncxserver-sockname=" + port + "@" + socket,
                ""));
        Files.createDirectories(Path.of("/run/sshd"));
        List<String> netconfdCommand = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid,
                "--clear-groups", "env", "-i", "PATH=/usr/sbin:/usr/bin:/bin", "HOME=" + home,
                "/usr/sbin/netconfd",
                "--startup=" + nc.resolve("startup-cfg.xml"),
                "--modpath=" + yang + ":/usr/share/yuma/modules",
                "--module=arbiter-qos",
                "--superuser=" + USER,
                "--access-control=off",
                "--target=" + target.name().toLowerCase(java.util.Locale.ROOT),
                "--with-startup=false",
                "--port=" + port,
                "--ncxserver-sockname=" + socket,
                "--log=" + nc.resolve("netconfd.log"),
                "--log-level=info"));
        if (interfaces) {
            netconfdCommand.addAll(List.of("--module=ietf-interfaces", "--module=iana-if-type", "--module=arbiter-if-policer"));
        }
        Process netconfd = new ProcessBuilder(netconfdCommand).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("netconfd.out").toFile()).start();
        Process sshd;
        try {
            sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-f", dir.resolve("sshd_config").toString(),
                    "-E", dir.resolve("sshd.log").toString()).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sshd.out").toFile()).start();
        } catch (IOException e) {
            stop(netconfd);
            throw e;
        }
        NetconfTestBed bed = new NetconfTestBed(dir, port, target, sshd, netconfd);
        try {
            bed.awaitReady(socket, Duration.ofSeconds(20));
        } catch (IOException | RuntimeException e) {
            bed.close();
            throw e;
        }
        return bed;
    }

    private void awaitReady(Path socket, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean listening = false;
        boolean accepting = false;
        while (!(listening && accepting)) {
            if (!netconfd.isAlive() || !sshd.isAlive()) {
                throw new IOException("the NETCONF bed did not start: " + logs());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the NETCONF bed was not ready within " + limit + ": " + logs());
            }
            listening = listening || Files.exists(socket);
            if (!accepting) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    accepting = true;
                } catch (IOException notYet) {
                    accepting = false;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** The tail of netconfd's and sshd's logs, for failure messages. */
    public String logs() {
        StringBuilder s = new StringBuilder();
        for (Path p : List.of(dir.resolve("netconfd.out"), dir.resolve("nc/netconfd.log"), dir.resolve("sshd.log"))) {
            try {
                List<String> lines = Files.readAllLines(p);
                s.append("\n--- ").append(p.getFileName()).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            } catch (IOException e) {
                s.append("\n--- ").append(p.getFileName()).append(": ").append(e.getMessage());
            }
        }
        return s.toString();
    }

    public int port() {
        return port;
    }

    public Target target() {
        return target;
    }

    public Path dir() {
        return dir;
    }

    public Path clientKey() {
        return dir.resolve("client_ecdsa");
    }

    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /**
     * A known_hosts file that holds the bed's host key for {@code [127.0.0.1]:port} (a relay in
     * front of the bed listens on another port than the bed).
     */
    public Path knownHosts(int port) throws IOException {
        if (port == this.port) {
            return knownHosts();
        }
        String[] hostKey = Files.readString(dir.resolve("host_ecdsa.pub")).strip().split(" ");
        Path p = dir.resolve("known_hosts_" + port);
        Files.writeString(p, "[127.0.0.1]:" + port + " " + hostKey[0] + " " + hostKey[1] + "\n");
        return p;
    }

    /** The settings of an adapter for this bed on {@code port}: key authentication, host keys checked. */
    public Map<String, Object> settings(int port) throws IOException {
        Map<String, Object> s = new HashMap<>();
        s.put("host", "127.0.0.1");
        s.put("port", port);
        s.put("username", USER);
        s.put("private-key", clientKey().toString());
        s.put("known-hosts", knownHosts(port).toString());
        s.put("connect-timeout-ms", 5000);
        s.put("timeout-ms", 5000);
        return s;
    }

    public static AdapterConfig config(Map<String, Object> settings) {
        return new AdapterConfig("nc-1", "devices[0].settings", settings);
    }

    /**
     * Sends RPCs over a session of its own and returns the rpc-reply texts: an independent view of
     * the device (see {@link RawSession}).
     */
    List<String> rawRpcs(List<String> operations) throws IOException {
        try (RawSession s = rawSession()) {
            List<String> replies = new ArrayList<>();
            for (String op : operations) {
                replies.add(s.rpc(op));
            }
            return replies;
        }
    }

    /** Opens a {@link RawSession} with the bed's key. */
    RawSession rawSession() throws IOException {
        return new RawSession();
    }

    /**
     * A NETCONF session through the OpenSSH client ({@code ssh -s netconf}) with framing written
     * here, sharing no code with the adapter; it speaks base:1.1 (chunked framing). Like the
     * adapter, it sends its hello at once and primes the session with an empty get-config, sending
     * another when netconfd 2.13 sits on the first (see {@code NetconfSession}).
     */
    final class RawSession implements AutoCloseable {
        private static final String PRIMER = "<get-config><source><running/></source><filter type=\"subtree\"/></get-config>";

        private final Process ssh;
        private final OutputStream in;
        private final InputStream out;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private int messageId;

        private RawSession() throws IOException {
            ssh = new ProcessBuilder("ssh", "-T", "-F", "/dev/null", "-i", clientKey().toString(),
                    "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                    "-o", "UserKnownHostsFile=" + knownHosts(), "-p", Integer.toString(port), USER + "@127.0.0.1",
                    "-s", "netconf").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            in = ssh.getOutputStream();
            out = ssh.getInputStream();
            in.write(("<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><capabilities>"
                    + "<capability>urn:ietf:params:netconf:base:1.0</capability>"
                    + "<capability>urn:ietf:params:netconf:base:1.1</capability>"
                    + "</capabilities></hello>]]>]]>").getBytes(StandardCharsets.UTF_8));
            in.flush();
            byte[] hello = readUntil(ssh, out, b -> b.toString(StandardCharsets.UTF_8).contains("]]>]]>"), deadline());
            String h = new String(hello, StandardCharsets.UTF_8);
            received.writeBytes(h.substring(h.indexOf("]]>]]>") + 6).getBytes(StandardCharsets.UTF_8));
            long grace = TimeUnit.MILLISECONDS.toNanos(200);
            String last;
            do {
                last = send(PRIMER);
                grace *= 2;
            } while (!awaitReply(last, System.nanoTime() + grace));
        }

        private static long deadline() {
            return System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        }

        private String send(String operation) throws IOException {
            String id = Integer.toString(++messageId);
            byte[] rpc = ("<rpc message-id=\"" + id + "\" xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"
                    + operation + "</rpc>").getBytes(StandardCharsets.UTF_8);
            in.write(("\n#" + rpc.length + "\n").getBytes(StandardCharsets.US_ASCII));
            in.write(rpc);
            in.write("\n##\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            return id;
        }

        /** True once the reply to {@code id} has been read (earlier replies are dropped), false at {@code until}. */
        private boolean awaitReply(String id, long until) throws IOException {
            while (true) {
                String message = nextMessage(until);
                if (message == null) {
                    return false;
                }
                if (message.contains("message-id=\"" + id + "\"")) {
                    lastReply = message;
                    return true;
                }
            }
        }

        private String lastReply;

        /** The next complete chunked message, or null at {@code until}. */
        private String nextMessage(long until) throws IOException {
            byte[] buf = new byte[65536];
            while (true) {
                byte[] have = received.toByteArray();
                int end = endOfMessage(have);
                if (end > 0) {
                    received.reset();
                    received.write(have, end, have.length - end);
                    return dechunk(java.util.Arrays.copyOfRange(have, 0, end));
                }
                int n = out.available();
                if (n > 0) {
                    received.write(buf, 0, out.read(buf, 0, Math.min(n, buf.length)));
                } else if (!ssh.isAlive()) {
                    throw new IOException("the ssh client ended; got: " + received.toString(StandardCharsets.UTF_8));
                } else if (System.nanoTime() - until > 0) {
                    return null;
                } else {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                }
            }
        }

        /** Sends one operation and returns the reply text. */
        String rpc(String operation) throws IOException {
            String id = send(operation);
            if (!awaitReply(id, deadline())) {
                throw new IOException("no reply to " + operation + " within 15 s");
            }
            return lastReply;
        }

        @Override
        public void close() throws IOException {
            try {
                if (ssh.isAlive()) {
                    rpc("<close-session/>");
                }
            } catch (IOException e) {
                // the session is gone already
            } finally {
                in.close();
                stop(ssh);
            }
        }
    }

    /** The length of the first complete chunked message at the start of {@code b}, or 0. */
    private static int endOfMessage(byte[] b) {
        int i = 0;
        while (true) {
            if (i + 4 > b.length) {
                return 0;
            }
            if (b[i] == '\n' && b[i + 1] == '#' && b[i + 2] == '#' && b[i + 3] == '\n') {
                return i + 4;
            }
            int lf = i + 2;
            while (lf < b.length && b[lf] != '\n') {
                lf++;
            }
            if (lf >= b.length) {
                return 0;
            }
            int size = Integer.parseInt(new String(b, i + 2, lf - i - 2, StandardCharsets.US_ASCII));
            i = lf + 1 + size;
        }
    }

    private static byte[] readUntil(Process p, InputStream in, Predicate<ByteArrayOutputStream> done, long deadline)
            throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!done.test(b)) {
            int n = in.available();
            if (n > 0) {
                b.write(buf, 0, in.read(buf, 0, Math.min(n, buf.length)));
            } else if (!p.isAlive()) {
                throw new IOException("the ssh client ended; got: " + b.toString(StandardCharsets.UTF_8));
            } else if (System.nanoTime() > deadline) {
                throw new IOException("no complete NETCONF message within 15 s; got: " + b.toString(StandardCharsets.UTF_8));
            } else {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }
        return b.toByteArray();
    }

    /** The data of a chunked message (RFC 6242 section 4.2), written here independently of the adapter. */
    private static String dechunk(byte[] framed) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            if (i + 3 >= framed.length || framed[i] != '\n' || framed[i + 1] != '#') {
                throw new IOException("not a chunk header at " + i + ": " + new String(framed, StandardCharsets.UTF_8));
            }
            if (framed[i + 2] == '#' && framed[i + 3] == '\n') {
                return data.toString(StandardCharsets.UTF_8);
            }
            int lf = i + 2;
            while (framed[lf] != '\n') {
                lf++;
            }
            int size = Integer.parseInt(new String(framed, i + 2, lf - i - 2, StandardCharsets.US_ASCII));
            data.write(framed, lf + 1, size);
            i = lf + 1 + size;
        }
    }

    /** The running datastore's arbiter-qos entries: one {id, rate-bps} pair per entry, read with {@link #rawRpcs}. */
    public List<String[]> qosRows() throws Exception {
        String reply = rawRpcs(List.of("<get-config><source><running/></source><filter type=\"subtree\">"
                + "<reservations xmlns=\"" + QOS_NS + "\"/></filter></get-config>")).getFirst();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(reply.strip()
                .getBytes(StandardCharsets.UTF_8)));
        NodeList entries = doc.getElementsByTagNameNS(QOS_NS, "reservation");
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < entries.getLength(); i++) {
            Element e = (Element) entries.item(i);
            rows.add(new String[] {text(e, "id"), text(e, "rate-bps"), text(e, "name")});
        }
        return rows;
    }

    private static String text(Element e, String local) {
        NodeList l = e.getElementsByTagNameNS(QOS_NS, local);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().strip();
    }

    /** Freezes netconfd (SIGSTOP): SSH sessions stay up, but no RPC is answered until {@link #thawDevice()}. */
    public void freezeDevice() throws IOException, InterruptedException {
        run(dir, "kill", "-STOP", Long.toString(netconfd.pid()));
    }

    /** Lets a frozen netconfd run again (SIGCONT). */
    public void thawDevice() throws IOException, InterruptedException {
        run(dir, "kill", "-CONT", Long.toString(netconfd.pid()));
    }

    /**
     * Ends every open SSH connection to the bed, as a device reboot would, by stopping the
     * per-connection processes below the bed's sshd; the listener keeps accepting.
     */
    public void dropConnections() throws InterruptedException {
        List<ProcessHandle> below = sshd.descendants().toList();
        below.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : below) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("connection process " + p.pid() + " did not end", e);
            }
        }
    }

    public static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int unusedUid() throws IOException {
        List<String> passwd = Files.readAllLines(Path.of("/etc/passwd"));
        for (int uid = 54321; uid < 54421; uid++) {
            String field = ":" + uid + ":";
            if (passwd.stream().noneMatch(l -> l.contains(field))) {
                return uid;
            }
        }
        throw new IOException("no unused uid in 54321..54420");
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    /** Ends a process this bed started: SIGTERM, then SIGKILL after 10 s. */
    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    @Override
    public void close() throws IOException {
        stop(sshd);
        stop(netconfd);
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
