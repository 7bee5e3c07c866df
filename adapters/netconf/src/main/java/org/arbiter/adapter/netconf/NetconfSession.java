package org.arbiter.adapter.netconf;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelSubsystem;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.future.CancelOption;
import org.arbiter.core.adapter.OutcomeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;

/**
 * One NETCONF session over SSH (RFC 6242): the {@code netconf} subsystem channel of an Apache MINA
 * SSHD client session, the hello exchange, the framing, and one outstanding RPC at a time.
 *
 * <h2>Design</h2>
 * <pre>
 * open():  TCP connect -&gt; SSH handshake (host key checked) -&gt; authentication -&gt; subsystem "netconf"
 *          -&gt; send our hello at once (end-of-message framing) -&gt; wait for the server's hello
 *          -&gt; both advertise base:1.1 ? chunked framing : end-of-message framing
 * rpc():   frame and write one &lt;rpc&gt;, wait for the &lt;rpc-reply&gt; with its message-id
 * any transport failure, framing error, malformed XML or missing reply -&gt; the session is lost
 * </pre>
 * Our hello is written as soon as the channel opens, as RFC 6241 section 8.1 asks ("simultaneously").
 *
 * <p>Priming, a departure of our own: before the session is handed out, {@link #prime} sends a
 * get-config with an empty filter (RFC 6241 section 6.4.2: it selects nothing) and waits for its
 * reply. yuma123 netconfd 2.13 answers a message that reached it in one read together with the
 * previous one (the client's hello and first RPC, when netconfd is slow to read) only when
 * further octets arrive. When the primer gets no reply within a grace period (200 ms, doubling),
 * another primer follows, which releases the stalled one; the session is ready when the latest
 * primer is answered, as replies come in order. Against other servers this costs one RPC per
 * session.
 *
 * <p>The channel's data is pushed by MINA's I/O thread into a {@link FrameDecoder}; replies are
 * parsed there and handed to the waiting caller. Nothing blocks the I/O thread.
 *
 * <p><b>Threading.</b> {@link #rpc} must not be called concurrently (the adapter serialises
 * calls); {@link #close()} may be called from any thread at any time.
 */
final class NetconfSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetconfSession.class);

    /** The largest message accepted from a device. */
    static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

    /** Set on a client session whose host key the verifier refused: what was refused. */
    static final AttributeKey<String> HOST_KEY_REFUSED = new AttributeKey<>();

    private static final String HELLO = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<hello xmlns=\"" + Xml.NETCONF_NS + "\"><capabilities>"
            + "<capability>" + Capabilities.BASE_10 + "</capability>"
            + "<capability>" + Capabilities.BASE_11 + "</capability>"
            + "</capabilities></hello>";

    private final String target;
    private final ClientSession ssh;
    private final ChannelSubsystem channel;
    private final FrameDecoder decoder = new FrameDecoder(MAX_MESSAGE_BYTES);
    private final CompletableFuture<Capabilities> hello = new CompletableFuture<>();
    private volatile Framing framing = Framing.END_OF_MESSAGE;
    private final Map<String, CompletableFuture<RpcReply>> pending = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile NetconfException lost;
    private long messageId;

    /** The primer: a get-config whose empty filter selects nothing. */
    static final String PRIMER = "<get-config><source><running/></source><filter type=\"subtree\"/></get-config>";
    private static final long PRIME_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private NetconfSession(String target, ClientSession ssh, ChannelSubsystem channel) {
        this.target = target;
        this.ssh = ssh;
        this.channel = channel;
    }

    /**
     * Opens a session and exchanges hellos.
     *
     * @param deadline {@link System#nanoTime()} by which the session must be ready
     * @throws NetconfException UNREACHABLE (refused, unknown host, host key or authentication
     *         refused, channel closed before the hello), TIMEOUT (no progress by the deadline) or
     *         FAILED (no netconf subsystem, a malformed hello, no common base version)
     */
    static NetconfSession open(SshClient client, NetconfSettings s, long deadline) throws NetconfException {
        String target = s.target();
        ConnectFuture connect;
        try {
            connect = client.connect(s.username(), s.host(), s.port());
        } catch (IOException | RuntimeException e) {
            throw new NetconfException(OutcomeStatus.UNREACHABLE, "cannot connect to " + target + ": " + e, true, e);
        }
        if (!await(connect, deadline)) {
            connect.addListener(f -> {
                if (f.isConnected()) {
                    f.getSession().close(true);
                }
            });
            throw new NetconfException(OutcomeStatus.TIMEOUT, "no SSH connection to " + target + " within the timeout", true);
        }
        if (!connect.isConnected()) {
            throw connectFailure(target, connect.getException());
        }
        ClientSession ssh = connect.getSession();
        try {
            if (s.password() != null) {
                ssh.addPasswordIdentity(s.password());
            }
            for (KeyPair k : s.keys()) {
                ssh.addPublicKeyIdentity(k);
            }
            AuthFuture auth = ssh.auth();
            if (!await(auth, deadline)) {
                throw new NetconfException(OutcomeStatus.TIMEOUT, "SSH handshake or authentication with " + target
                        + " not finished within the timeout", true);
            }
            if (!auth.isSuccess()) {
                String refused = ssh.getAttribute(HOST_KEY_REFUSED);
                if (refused != null) {
                    throw new NetconfException(OutcomeStatus.UNREACHABLE, "host key of " + target + " not accepted: "
                            + refused + " is not the key known_hosts holds for it", true);
                }
                if (hostKeyRefused(auth.getException())) {
                    // the session closed before its attribute was read: closing clears a session's attributes
                    throw new NetconfException(OutcomeStatus.UNREACHABLE, "host key of " + target
                            + " not accepted: the key it offered is not the key known_hosts holds for it", true);
                }
                throw new NetconfException(OutcomeStatus.UNREACHABLE, "SSH authentication as " + s.username() + " at "
                        + target + " failed" + reason(auth.getException()), true);
            }
            ChannelSubsystem channel = ssh.createSubsystemChannel("netconf");
            NetconfSession session = new NetconfSession(target, ssh, channel);
            channel.setOut(session.new Sink());
            channel.setErr(new StderrSink(target));
            OpenFuture opened = channel.open();
            if (!await(opened, deadline)) {
                throw new NetconfException(OutcomeStatus.TIMEOUT, "netconf subsystem of " + target
                        + " not opened within the timeout", true);
            }
            if (!opened.isOpened()) {
                throw new NetconfException(OutcomeStatus.FAILED, target + " refused the netconf subsystem"
                        + reason(opened.getException()), true);
            }
            channel.addCloseFutureListener(f -> session.lose(new NetconfException(OutcomeStatus.UNREACHABLE,
                    "the device closed the NETCONF session", true)));
            session.write(Framing.END_OF_MESSAGE.encode(HELLO.getBytes(StandardCharsets.UTF_8)), "hello");
            session.awaitHello(deadline);
            session.prime(deadline);
            return session;
        } catch (NetconfException e) {
            ssh.close(true);
            throw e;
        } catch (IOException | RuntimeException e) {
            ssh.close(true);
            throw new NetconfException(OutcomeStatus.UNREACHABLE, "SSH session with " + target + " failed: " + e, true, e);
        }
    }

    private static boolean await(org.apache.sshd.common.future.WaitableFuture f, long deadline) throws NetconfException {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (ms <= 0) {
            return f.isDone();
        }
        try {
            return f.await(ms, CancelOption.CANCEL_ON_TIMEOUT);
        } catch (IOException e) {
            if (e instanceof InterruptedIOException) {
                Thread.currentThread().interrupt();
            }
            throw new NetconfException(OutcomeStatus.FAILED, "interrupted while waiting for the device", true, e);
        }
    }

    private static NetconfException connectFailure(String target, Throwable t) {
        Throwable root = t;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            if (root instanceof ConnectException || root instanceof UnknownHostException) {
                break;
            }
            root = root.getCause();
        }
        String why;
        if (root instanceof ConnectException) {
            why = "connection refused";
        } else if (root instanceof UnknownHostException || root instanceof UnresolvedAddressException) {
            why = "unknown host";
        } else if (root instanceof NoRouteToHostException) {
            why = "no route to host";
        } else {
            why = String.valueOf(root);
        }
        return new NetconfException(OutcomeStatus.UNREACHABLE, "cannot connect to " + target + ": " + why, true, t);
    }

    /**
     * Whether {@code t} or a cause of it is the SSH client's refusal of the server's host key: an
     * {@link SshException} with the disconnect reason HOST_KEY_NOT_VERIFIABLE (RFC 4253 §11.1),
     * which the key exchange raises when the verifier says no.
     */
    static boolean hostKeyRefused(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SshException e && e.getDisconnectCode() == SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE) {
                return true;
            }
        }
        return false;
    }

    private static String reason(Throwable t) {
        return t == null || t.getMessage() == null ? "" : ": " + t.getMessage();
    }

    private void awaitHello(long deadline) throws NetconfException {
        try {
            Capabilities caps = hello.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            LOG.debug("{}: NETCONF session {} up, {} framing, {} capabilities", target, caps.sessionId(), framing,
                    caps.uris().size());
        } catch (TimeoutException e) {
            throw new NetconfException(OutcomeStatus.TIMEOUT, "no NETCONF hello from " + target + " within the timeout",
                    true);
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetconfException(OutcomeStatus.FAILED, "interrupted while waiting for the hello", true, e);
        }
    }

    private static NetconfException unwrap(ExecutionException e) {
        return e.getCause() instanceof NetconfException n ? n
                : new NetconfException(OutcomeStatus.FAILED, String.valueOf(e.getCause()), true, e.getCause());
    }

    /** What the server advertised (only after {@link #open}). */
    Capabilities capabilities() {
        return hello.getNow(null);
    }

    /** The framing in use. */
    Framing framing() {
        return framing;
    }

    /** True until the session is lost or closed. */
    boolean isOpen() {
        return lost == null && channel.isOpen();
    }

    /**
     * Sends one operation and waits for its reply.
     *
     * @param operation the XML inside {@code <rpc>}, e.g. {@code <commit/>}
     * @param deadline {@link System#nanoTime()} by which the reply must be in
     * @return the reply, which may hold rpc-errors
     * @throws NetconfException with {@link NetconfException#sessionLost()} set: TIMEOUT when no
     *         reply came in time, UNREACHABLE when the session went away, FAILED for a malformed reply
     */
    RpcReply rpc(String operation, long deadline) throws NetconfException {
        String name = operationName(operation);
        String id = send(operation, name);
        try {
            return await(pending.get(id), name, deadline);
        } finally {
            pending.remove(id);
        }
    }

    /** Frames and writes one {@code <rpc>}; its reply future is in {@link #pending} under the returned id. */
    private String send(String operation, String name) throws NetconfException {
        NetconfException gone = lost;
        if (gone != null) {
            throw gone;
        }
        String id = Long.toString(++messageId);
        pending.put(id, new CompletableFuture<>());
        String rpc = "<rpc message-id=\"" + id + "\" xmlns=\"" + Xml.NETCONF_NS + "\">" + operation + "</rpc>";
        LOG.debug("{} <- {}", target, rpc);
        write(framing.encode(rpc.getBytes(StandardCharsets.UTF_8)), name);
        return id;
    }

    private RpcReply await(CompletableFuture<RpcReply> reply, String name, long deadline) throws NetconfException {
        long sent = System.nanoTime();
        try {
            RpcReply r = reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            LOG.debug("{}: <{}> answered in {} us", target, name, (System.nanoTime() - sent) / 1000);
            return r;
        } catch (TimeoutException e) {
            NetconfException t = new NetconfException(OutcomeStatus.TIMEOUT, "no reply to <" + name + "> from " + target
                    + " within the timeout", true);
            lose(t);
            throw t;
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            NetconfException t = new NetconfException(OutcomeStatus.FAILED, "interrupted while waiting for <" + name
                    + ">", true, e);
            lose(t);
            throw t;
        }
    }

    /** Sends primers until the latest one is answered (see the design comment). */
    private void prime(long deadline) throws NetconfException {
        List<String> sent = new ArrayList<>();
        long grace = PRIME_GRACE_NANOS;
        try {
            while (true) {
                String id = send(PRIMER, "get-config");
                sent.add(id);
                long wait = Math.min(deadline, System.nanoTime() + grace);
                try {
                    pending.get(id).get(Math.max(0, wait - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (sent.size() > 1) {
                        LOG.debug("{}: first RPC answered after {} primers", target, sent.size());
                    }
                    return;
                } catch (TimeoutException e) {
                    if (System.nanoTime() - deadline >= 0) {
                        NetconfException t = new NetconfException(OutcomeStatus.TIMEOUT, "no reply to the first RPC "
                                + "from " + target + " within the timeout", true);
                        lose(t);
                        throw t;
                    }
                    grace *= 2;
                } catch (ExecutionException e) {
                    throw unwrap(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    NetconfException t = new NetconfException(OutcomeStatus.FAILED, "interrupted while opening the session",
                            true, e);
                    lose(t);
                    throw t;
                }
            }
        } finally {
            sent.forEach(pending::remove);
        }
    }

    private static String operationName(String operation) {
        int end = 1;
        while (end < operation.length() && " />".indexOf(operation.charAt(end)) < 0) {
            end++;
        }
        return operation.substring(1, end);
    }

    private void write(byte[] framed, String what) throws NetconfException {
        try {
            OutputStream in = channel.getInvertedIn();
            in.write(framed);
            in.flush();
        } catch (IOException | RuntimeException e) {
            NetconfException t = new NetconfException(OutcomeStatus.UNREACHABLE, "cannot send <" + what + "> to " + target
                    + ": " + e.getMessage(), true, e);
            lose(t);
            throw t;
        }
    }

    /** Marks the session lost, fails whoever waits, and closes the SSH session. Idempotent. */
    private void lose(NetconfException why) {
        if (lost == null) {
            lost = why;
        }
        hello.completeExceptionally(why);
        synchronized (pending) {
            pending.values().forEach(f -> f.completeExceptionally(why));
        }
        ssh.close(true);
    }

    /**
     * Ends the session: a polite {@code <close-session/>} when the session is healthy (bounded by
     * {@code politeWaitMillis}), then the SSH session is closed. Idempotent.
     */
    void close(long politeWaitMillis) {
        if (isOpen() && politeWaitMillis > 0) {
            try {
                rpc("<close-session/>", System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(politeWaitMillis));
            } catch (NetconfException e) {
                LOG.debug("{}: close-session not answered: {}", target, e.getMessage());
            }
        }
        lose(new NetconfException(OutcomeStatus.UNREACHABLE, "the NETCONF session with " + target + " was closed", true));
    }

    @Override
    public void close() {
        close(0);
    }

    // ------------------------------------------------------------------ inbound

    private void onFrame(FrameDecoder.Frame frame) {
        if (frame instanceof FrameDecoder.Frame.Malformed m) {
            LOG.warn("{}: malformed NETCONF framing, closing the session: {}", target, m.reason());
            lose(new NetconfException(OutcomeStatus.FAILED, "malformed framing from " + target + ": " + m.reason(), true));
            return;
        }
        byte[] octets = ((FrameDecoder.Frame.Message) frame).octets();
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} -> {}", target, new String(octets, StandardCharsets.UTF_8));
        }
        Document doc;
        try {
            doc = Xml.parse(octets);
        } catch (Xml.MalformedXmlException e) {
            LOG.warn("{}: malformed XML in a NETCONF message, closing the session: {}", target, e.getMessage());
            lose(new NetconfException(OutcomeStatus.FAILED, "malformed XML from " + target + ": " + e.getMessage(), true));
            return;
        }
        if (!hello.isDone()) {
            onHello(doc);
            return;
        }
        if ("notification".equals(doc.getDocumentElement().getLocalName())) {
            return;
        }
        RpcReply reply;
        try {
            reply = RpcReply.of(doc);
        } catch (Xml.MalformedXmlException e) {
            LOG.warn("{}: unexpected NETCONF message, closing the session: {}", target, e.getMessage());
            lose(new NetconfException(OutcomeStatus.FAILED, "unexpected message from " + target + ": " + e.getMessage(),
                    true));
            return;
        }
        CompletableFuture<RpcReply> waiting;
        synchronized (pending) {
            waiting = reply.messageId() != null ? pending.get(reply.messageId())
                    : pending.values().stream().filter(f -> !f.isDone()).findFirst().orElse(null);
        }
        if (waiting != null) {
            waiting.complete(reply);
        } else {
            LOG.warn("{}: rpc-reply with message-id {} matches no outstanding request; ignored", target,
                    reply.messageId());
        }
    }

    private void onHello(Document doc) {
        Capabilities caps;
        try {
            caps = Capabilities.ofHello(doc);
        } catch (Xml.MalformedXmlException e) {
            lose(new NetconfException(OutcomeStatus.FAILED, "malformed hello from " + target + ": " + e.getMessage(), true));
            return;
        }
        if (caps.base11()) {
            decoder.useChunked();
            framing = Framing.CHUNKED;
        } else if (!caps.has(Capabilities.BASE_10)) {
            lose(new NetconfException(OutcomeStatus.FAILED, target + " advertises neither base:1.0 nor base:1.1", true));
            return;
        }
        hello.complete(caps);
    }

    /** Receives the subsystem's stdout from MINA's I/O thread. */
    private final class Sink extends OutputStream {
        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            decoder.decode(b, off, len, NetconfSession.this::onFrame);
        }
    }

    /** The subsystem's stderr: logged at DEBUG, bounded per write. */
    private static final class StderrSink extends OutputStream {
        private final String target;

        StderrSink(String target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} stderr: {}", target, new String(b, off, Math.min(len, 1024), StandardCharsets.UTF_8).strip());
            }
        }
    }
}
