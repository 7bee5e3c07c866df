package org.arbiter.adapter.netconf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.subsystem.SubsystemFactory;

/**
 * A NETCONF device in the test JVM for what a real server will not do on request: an SSH server
 * (Apache MINA SSHD) on 127.0.0.1 with password authentication and a {@code netconf} subsystem
 * that follows a script. It holds no configuration: every {@code get-config} returns empty data,
 * every other operation {@code <ok/>}, unless the next {@link Fault} says otherwise.
 *
 * <p>The framing on the device side is written here, independently of the adapter's.
 *
 * <p>One thread per open subsystem session, ended when the session or the device closes.
 */
final class ScriptedNetconfDevice implements AutoCloseable {

    /** What the device does to the next RPC. */
    enum Fault {
        /** A chunk header with a letter in its size. */
        MALFORMED_CHUNK,
        /** A framed message that is not well-formed XML. */
        BROKEN_XML,
        /** A well-formed rpc-reply with another message-id. */
        WRONG_MESSAGE_ID,
        /** The device closes the channel instead of answering. */
        CLOSE,
        /**
         * The device answers only when the next RPC arrives, as yuma123 netconfd 2.13 does with a
         * message that reached it in one read with the previous one.
         */
        HOLD
    }

    private static final Pattern MESSAGE_ID = Pattern.compile("message-id=\"([^\"]*)\"");

    private final SshServer server;
    private final String password;
    private final boolean base11;
    private final String hello;
    private final AtomicReference<Fault> nextFault = new AtomicReference<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /**
     * @param password the one password accepted (any user)
     * @param base11 advertise base:1.1 (chunked framing) as well as base:1.0
     * @param garbageHello send text that is not XML instead of a hello
     */
    ScriptedNetconfDevice(String password, boolean base11, boolean garbageHello) throws IOException {
        this.password = password;
        this.base11 = base11;
        this.hello = garbageHello ? "this is not a hello" : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><capabilities>"
                + "<capability>urn:ietf:params:netconf:base:1.0</capability>"
                + (base11 ? "<capability>urn:ietf:params:netconf:base:1.1</capability>" : "")
                + "<capability>urn:ietf:params:netconf:capability:candidate:1.0</capability>"
                + "<capability>urn:arbiter:qos?module=arbiter-qos&amp;revision=2026-01-01</capability>"
                + "</capabilities><session-id>7</session-id></hello>";
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider());
        server.setPasswordAuthenticator((user, pw, session) -> this.password.equals(pw));
        server.setSubsystemFactories(List.of(new SubsystemFactory() {
            @Override
            public String getName() {
                return "netconf";
            }

            @Override
            public Command createSubsystem(ChannelSession channel) {
                return new Subsystem();
            }
        }));
        server.start();
    }

    int port() {
        return server.getPort();
    }

    /** Makes the device misbehave on the next RPC it receives. */
    void failNext(Fault fault) {
        nextFault.set(fault);
    }

    /** The RPCs received so far, as text. */
    List<String> received() {
        return List.copyOf(received);
    }

    /** A known_hosts file holding this device's host key. */
    Path knownHosts(Path dir) throws IOException, java.security.GeneralSecurityException {
        StringBuilder s = new StringBuilder();
        for (KeyPair k : server.getKeyPairProvider().loadKeys(null)) {
            s.append("[127.0.0.1]:").append(port()).append(' ').append(PublicKeyEntry.toString(k.getPublic())).append('\n');
        }
        return Files.writeString(dir.resolve("known_hosts_scripted"), s.toString());
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
        try {
            for (Thread t : threads) {
                t.interrupt();
                t.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One netconf subsystem session. */
    private final class Subsystem implements Command {
        private InputStream in;
        private OutputStream out;
        private ExitCallback exit;
        private volatile boolean chunked;

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
        }

        @Override
        public void setExitCallback(ExitCallback exit) {
            this.exit = exit;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            Thread t = new Thread(this::serve, "scripted-netconf-" + port());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }

        @Override
        public void destroy(ChannelSession channel) {
        }

        private void serve() {
            try {
                send(hello + "]]>]]>");
                String clientHello = readEndOfMessage();
                chunked = base11 && clientHello.contains("urn:ietf:params:netconf:base:1.1");
                String held = null;
                while (true) {
                    String rpc = chunked ? readChunked() : readEndOfMessage();
                    if (held != null) {
                        send(held);
                        held = null;
                    }
                    received.add(rpc);
                    Matcher m = MESSAGE_ID.matcher(rpc);
                    String id = m.find() ? m.group(1) : "";
                    Fault fault = nextFault.getAndSet(null);
                    if (fault == Fault.CLOSE) {
                        break;
                    }
                    if (fault == Fault.MALFORMED_CHUNK) {
                        send("\n#1x\n<");
                        continue;
                    }
                    String body = rpc.contains("<get-config") ? "<data/>" : "<ok/>";
                    String reply = fault == Fault.BROKEN_XML ? "<rpc-reply message-id=\"" + id + "\"><data>"
                            : "<rpc-reply message-id=\"" + (fault == Fault.WRONG_MESSAGE_ID ? "x" + id : id)
                            + "\" xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">" + body + "</rpc-reply>";
                    String framed = chunked ? frameChunked(reply) : reply + "]]>]]>";
                    if (fault == Fault.HOLD) {
                        held = framed;
                        continue;
                    }
                    send(framed);
                    if (rpc.contains("<close-session")) {
                        break;
                    }
                }
            } catch (IOException e) {
                // the client went away
            } finally {
                exit.onExit(0);
            }
        }

        private void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private static String frameChunked(String message) {
            return "\n#" + message.getBytes(StandardCharsets.UTF_8).length + "\n" + message + "\n##\n";
        }

        private String readEndOfMessage() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (!b.toString(StandardCharsets.UTF_8).endsWith("]]>]]>")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("end of input");
                }
                b.write(c);
            }
            String s = b.toString(StandardCharsets.UTF_8);
            return s.substring(0, s.length() - 6);
        }

        private String readChunked() throws IOException {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            while (true) {
                expect('\n');
                expect('#');
                int c = in.read();
                if (c == '#') {
                    expect('\n');
                    return message.toString(StandardCharsets.UTF_8);
                }
                int size = 0;
                while (c != '\n') {
                    if (c < '0' || c > '9') {
                        throw new IOException("bad chunk size octet " + c);
                    }
                    size = size * 10 + (c - '0');
                    c = in.read();
                }
                message.write(in.readNBytes(size));
            }
        }

        private void expect(char wanted) throws IOException {
            int c = in.read();
            if (c != wanted) {
                throw new IOException("expected '" + wanted + "', got " + c);
            }
        }
    }
}
