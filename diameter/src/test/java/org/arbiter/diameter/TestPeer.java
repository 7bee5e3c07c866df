package org.arbiter.diameter;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.AvpDef;
import org.arbiter.diameter.codec.DiameterDecoder;
import org.arbiter.diameter.codec.DiameterEncoder;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.Dictionary;
import org.arbiter.diameter.codec.InvalidMessage;

/**
 * A blocking Diameter peer over a plain socket, for tests: writes messages with the codec and
 * reads whole frames back. Every read is bounded by the socket timeout.
 */
public final class TestPeer implements AutoCloseable {

    public static final Dictionary D = Dictionary.standard();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int hopByHop = 1000;
    private final String host;

    private TestPeer(Socket socket, String host) throws IOException {
        this.socket = socket;
        this.host = host;
        socket.setSoTimeout(5000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static TestPeer connect(int port, String host) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
        return new TestPeer(s, host);
    }

    public static TestPeer wrap(Socket socket, String host) throws IOException {
        return new TestPeer(socket, host);
    }

    /** Connects and completes a CER/CEA exchange advertising Rx; fails unless the CEA is 2001. */
    public static TestPeer open(int port, String host) throws IOException {
        TestPeer p = connect(port, host);
        DiameterMessage cea = p.exchange(p.cer(List.of(Avp.grouped(D.avp("Vendor-Specific-Application-Id"),
                u32("Vendor-Id", 10415), u32("Auth-Application-Id", 16777236)))));
        if (resultCode(cea) != 2001) {
            throw new IllegalStateException("CEA " + resultCode(cea));
        }
        return p;
    }

    public String host() {
        return host;
    }

    public static Avp u32(String name, long v) {
        return Avp.unsigned32(D.avp(name), v);
    }

    public static Avp text(String name, String v) {
        return Avp.utf8(D.avp(name), v);
    }

    public DiameterMessage cer(List<Avp> apps) {
        List<Avp> a = new ArrayList<>();
        a.add(text("Origin-Host", host));
        a.add(text("Origin-Realm", "rx.test"));
        a.add(Avp.address(D.avp("Host-IP-Address"), java.net.InetAddress.getLoopbackAddress()));
        a.add(u32("Vendor-Id", 10415));
        a.add(text("Product-Name", "CDiameterPeer"));
        a.addAll(apps);
        return request(257, 0, a);
    }

    public DiameterMessage request(int cmd, long app, List<Avp> avps) {
        return new DiameterMessage(DiameterMessage.FLAG_REQUEST | (app != 0 ? DiameterMessage.FLAG_PROXIABLE : 0), cmd, app,
                ++hopByHop, hopByHop + 7000, avps);
    }

    /** An AAR from this peer with the given Session-Id and extra AVPs. */
    public DiameterMessage aar(String sessionId, Avp... extra) {
        List<Avp> a = new ArrayList<>();
        a.add(text("Session-Id", sessionId));
        a.add(text("Origin-Host", host));
        a.add(text("Origin-Realm", "rx.test"));
        a.add(u32("Auth-Application-Id", 16777236));
        a.add(text("Destination-Realm", "pdp.test"));
        a.addAll(List.of(extra));
        return request(265, 16777236, a);
    }

    public DiameterMessage str(String sessionId, int cause) {
        return request(275, 16777236, List.of(text("Session-Id", sessionId), text("Origin-Host", host), text("Origin-Realm", "rx.test"),
                text("Destination-Realm", "pdp.test"), u32("Auth-Application-Id", 16777236), Avp.enumerated(D.avp("Termination-Cause"), cause)));
    }

    public void send(DiameterMessage m) throws IOException {
        sendRaw(DiameterEncoder.toBytes(m));
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame, decoded; fails on timeout or close. */
    public DiameterMessage receive() throws IOException {
        Object o = receiveAny();
        if (o instanceof InvalidMessage im) {
            throw new IllegalStateException("server sent a malformed frame: " + im.reason());
        }
        return (DiameterMessage) o;
    }

    public Object receiveAny() throws IOException {
        byte[] head = new byte[4];
        in.readFully(head);
        int len = ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        byte[] frame = new byte[Math.max(len, 4)];
        System.arraycopy(head, 0, frame, 0, 4);
        in.readFully(frame, 4, frame.length - 4);
        return DiameterDecoder.parseFrame(frame, D);
    }

    /** The next request or answer, answering DWRs on the way. */
    public DiameterMessage receiveSkippingWatchdog() throws IOException {
        while (true) {
            DiameterMessage m = receive();
            if (m.isRequest() && m.commandCode() == 280) {
                send(answer(m, 2001));
                continue;
            }
            return m;
        }
    }

    public DiameterMessage exchange(DiameterMessage request) throws IOException {
        send(request);
        while (true) {
            DiameterMessage m = receiveSkippingWatchdog();
            if (!m.isRequest() && m.hopByHop() == request.hopByHop()) {
                return m;
            }
        }
    }

    public DiameterMessage answer(DiameterMessage request, long resultCode, Avp... extra) {
        List<Avp> a = new ArrayList<>();
        Avp sid = request.find(D.avp("Session-Id"));
        if (sid != null) {
            a.add(sid);
        }
        a.add(text("Origin-Host", host));
        a.add(text("Origin-Realm", "rx.test"));
        a.add(u32("Result-Code", resultCode));
        a.addAll(List.of(extra));
        return new DiameterMessage(request.flags() & DiameterMessage.FLAG_PROXIABLE, request.commandCode(), request.applicationId(),
                request.hopByHop(), request.endToEnd(), a);
    }

    /** True when the server closes the connection within the socket timeout. */
    public boolean closedByServer() throws IOException {
        try {
            while (true) {
                receiveAny();
            }
        } catch (EOFException | java.net.SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    public void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public static long resultCode(DiameterMessage answer) {
        Avp rc = answer.find(D.avp("Result-Code"));
        if (rc != null) {
            return rc.unsigned32();
        }
        Avp er = answer.find(D.avp("Experimental-Result"));
        return er == null ? -1 : er.child(D.avp("Experimental-Result-Code")).unsigned32();
    }

    public static String text(DiameterMessage m, String avp) {
        return m.text(D.avp(avp));
    }

    public static List<Avp> all(DiameterMessage m, String avp) {
        return m.findAll(D.avp(avp));
    }

    public static AvpDef def(String name) {
        return D.avp(name);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
