package org.arbiter.adapter.snmp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.arbiter.core.adapter.OutcomeStatus;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.PduHandle;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.AuthHMAC128SHA224;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC256SHA384;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.AuthenticationProtocol;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES192;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.PrivacyProtocol;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's SNMP transport: a private snmp4j {@link Snmp} (its own UDP socket, message
 * dispatcher and, for SNMPv3, its own USM with the one configured user; no snmp4j singletons are
 * changed), opened on first use.
 *
 * <p><b>Time.</b> Every request is bounded by the caller's deadline, whatever snmp4j does inside
 * (retransmissions, SNMPv3 engine discovery, time synchronisation): the request is sent
 * asynchronously and abandoned when the deadline passes. The retries share the remaining time.
 *
 * <p><b>Reports (departure from snmp4j's default, RFC 3412 section 7.2.11).</b> An agent that cannot
 * authenticate a request (wrong passphrase, unsupported security level, unknown context) answers
 * with an unauthenticated report. snmp4j discards such reports, as section 7.2.11 allows, and the
 * request would end as a silent timeout. Here a report that names such an error ends the waiting
 * request at once as {@code UNREACHABLE} with the counter's name. An unauthenticated report can
 * never make a request succeed: at worst a forged one ends it early as a failure, which dropping
 * the packets could do as well. Reports snmp4j acts on itself (unknown engine id, not in time
 * window) are left to it.
 *
 * <p><b>Threading.</b> Thread-safe. snmp4j runs one listener thread per open session (and a timer
 * for retransmissions); {@link #close()} stops both.
 */
final class SnmpSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnmpSession.class);

    /** The error-status names of RFC 3416 section 3, by value. */
    static final List<String> ERROR_STATUS = List.of("noError", "tooBig", "noSuchName", "badValue", "readOnly",
            "genErr", "noAccess", "wrongType", "wrongLength", "wrongEncoding", "wrongValue", "noCreation",
            "inconsistentValue", "resourceUnavailable", "commitFailed", "undoFailed", "authorizationError",
            "notWritable", "inconsistentName");

    /**
     * What came back for one request: a response PDU (which may carry an error-status), or why
     * there was none.
     *
     * @param status APPLIED for a response; TIMEOUT, UNREACHABLE or FAILED otherwise
     * @param pdu the response, or null
     * @param detail why there was no response, or empty
     */
    record Reply(OutcomeStatus status, PDU pdu, String detail) {
        boolean answered() {
            return pdu != null;
        }
    }

    private final String deviceId;
    private final SnmpSettings settings;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private Snmp snmp;
    /** Guarded by lock. */
    private UdpAddress address;
    /** Guarded by lock. */
    private boolean closed;
    private volatile byte[] engineId;
    private final ReentrantLock discovery = new ReentrantLock();
    /** Set once by open() under lock, read after it. */
    private volatile USM usm;
    private volatile OID authId;
    private volatile OID privId;
    /** Requests waiting for an answer, by request-id. */
    private final Map<Integer, CompletableFuture<ResponseEvent<?>>> waiting = new ConcurrentHashMap<>();

    SnmpSession(String deviceId, SnmpSettings settings) {
        this.deviceId = deviceId;
        this.settings = settings;
    }

    /** A PDU of the right kind for the version (a ScopedPDU for SNMPv3). */
    PDU pdu(int type, List<VariableBinding> varbinds) {
        PDU pdu;
        if (settings.version() == SnmpSettings.Version.V3) {
            ScopedPDU scoped = new ScopedPDU();
            scoped.setContextName(new OctetString(settings.contextName()));
            pdu = scoped;
        } else {
            pdu = new PDU();
        }
        pdu.setType(type);
        pdu.addAll(varbinds);
        return pdu;
    }

    /** Sends one request and waits for its response until {@code deadline} (System.nanoTime). */
    Reply send(PDU pdu, long deadline) {
        Snmp s;
        UdpAddress to;
        synchronized (lock) {
            if (closed) {
                return new Reply(OutcomeStatus.FAILED, null, "adapter closed");
            }
            if (snmp == null) {
                Reply failed = open();
                if (failed != null) {
                    return failed;
                }
            }
            s = snmp;
            to = address;
        }
        if (settings.version() == SnmpSettings.Version.V3 && engineId == null) {
            Reply failed = discover(s, to, deadline);
            if (failed != null) {
                return failed;
            }
        }
        long left = deadline - System.nanoTime();
        if (left < TimeUnit.MILLISECONDS.toNanos(1)) {
            return new Reply(OutcomeStatus.TIMEOUT, null, "no time left for " + PDU.getTypeString(pdu.getType()));
        }
        Target<UdpAddress> target = target(to, TimeUnit.NANOSECONDS.toMillis(left));
        CompletableFuture<ResponseEvent<?>> answer = new CompletableFuture<>();
        ResponseListener listener = new ResponseListener() {
            @Override
            public <A extends Address> void onResponse(ResponseEvent<A> event) {
                ((Snmp) event.getSource()).cancel(event.getRequest(), this);
                answer.complete(event);
            }
        };
        long start = System.nanoTime();
        int requestId = s.getNextRequestID();
        pdu.setRequestID(new Integer32(requestId));
        waiting.put(requestId, answer);
        ResponseEvent<?> event;
        try {
            s.send(pdu, target, null, listener);
            event = answer.get(left, TimeUnit.NANOSECONDS);
        } catch (IOException | RuntimeException e) {
            s.cancel(pdu, listener);
            return new Reply(OutcomeStatus.FAILED, null, "cannot send " + PDU.getTypeString(pdu.getType()) + ": " + e.getMessage());
        } catch (TimeoutException e) {
            s.cancel(pdu, listener);
            return noAnswer(pdu, left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.cancel(pdu, listener);
            return new Reply(OutcomeStatus.FAILED, null, "interrupted");
        } catch (ExecutionException e) {
            return new Reply(OutcomeStatus.FAILED, null, "snmp4j failed: " + e.getCause());
        } finally {
            waiting.remove(requestId);
        }
        if (event.getResponse() != null && event.getResponse().getType() == PDU.REPORT) {
            s.cancel(pdu, listener);
        }
        Reply reply = classify(pdu, event, left);
        if (log.isDebugEnabled()) {
            log.debug("device {}: {} of {} varbinds -> {} {} in {} us", deviceId, PDU.getTypeString(pdu.getType()),
                    pdu.size(), reply.status(), reply.answered() ? ERROR_STATUS.get(Math.min(reply.pdu().getErrorStatus(), 18))
                    : reply.detail(), TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
        }
        return reply;
    }

    private Reply noAnswer(PDU pdu, long leftNanos) {
        return new Reply(OutcomeStatus.TIMEOUT, null, "no answer to " + PDU.getTypeString(pdu.getType()) + " within "
                + TimeUnit.NANOSECONDS.toMillis(leftNanos) + " ms");
    }

    private Reply classify(PDU request, ResponseEvent<?> event, long leftNanos) {
        if (event.getError() != null) {
            Exception e = event.getError();
            return new Reply(OutcomeStatus.FAILED, null, "snmp4j: " + e.getMessage());
        }
        PDU response = event.getResponse();
        if (response == null) {
            return noAnswer(request, leftNanos);
        }
        if (response.getType() == PDU.REPORT) {
            String report = report(response);
            if (report.startsWith("usmStatsUnknownEngineIDs") || report.startsWith("usmStatsNotInTimeWindows")) {
                engineId = null;
            }
            log.warn("device {}: the agent refused the request with a report: {} ({})", deviceId, report, settings.principal());
            return new Reply(OutcomeStatus.UNREACHABLE, null, "SNMPv3 report " + report);
        }
        return new Reply(OutcomeStatus.APPLIED, response, "");
    }

    /** The name of the counter a report carries (RFC 3414 section 3.2, RFC 3412 section 7.2). */
    static String report(PDU report) {
        if (report.size() == 0) {
            return "(empty report)";
        }
        OID oid = report.get(0).getOid();
        String name = oid.startsWith(SnmpConstants.usmStatsUnsupportedSecLevels) ? "usmStatsUnsupportedSecLevels (security level not allowed)"
                : oid.startsWith(SnmpConstants.usmStatsNotInTimeWindows) ? "usmStatsNotInTimeWindows"
                : oid.startsWith(SnmpConstants.usmStatsUnknownUserNames) ? "usmStatsUnknownUserNames (unknown user)"
                : oid.startsWith(SnmpConstants.usmStatsUnknownEngineIDs) ? "usmStatsUnknownEngineIDs"
                : oid.startsWith(SnmpConstants.usmStatsWrongDigests) ? "usmStatsWrongDigests (authentication failure)"
                : oid.startsWith(SnmpConstants.usmStatsDecryptionErrors) ? "usmStatsDecryptionErrors (privacy failure)"
                : oid.startsWith(SnmpConstants.snmpUnknownSecurityModels) ? "snmpUnknownSecurityModels"
                : oid.startsWith(SnmpConstants.snmpUnknownPDUHandlers) ? "snmpUnknownPDUHandlers"
                : oid.startsWith(SnmpConstants.snmpUnknownContexts) ? "snmpUnknownContexts (unknown context)"
                : oid.toDottedString();
        return name;
    }

    /** Whether a report names an error that retrying cannot fix (so the request ends now). */
    static boolean endsRequest(OID counter) {
        return counter.startsWith(SnmpConstants.usmStatsWrongDigests) || counter.startsWith(SnmpConstants.usmStatsDecryptionErrors)
                || counter.startsWith(SnmpConstants.usmStatsUnsupportedSecLevels) || counter.startsWith(SnmpConstants.usmStatsUnknownUserNames)
                || counter.startsWith(SnmpConstants.snmpUnknownContexts);
    }

    /** The outcome of an error-status (RFC 3416) that the adapter cannot work around. */
    static OutcomeStatus outcomeOf(int errorStatus) {
        return switch (errorStatus) {
            case PDU.noError -> OutcomeStatus.APPLIED;
            case PDU.tooBig, PDU.noSuchName, PDU.badValue, PDU.readOnly, PDU.noAccess, PDU.wrongType,
                    PDU.wrongLength, PDU.wrongEncoding, PDU.wrongValue, PDU.noCreation, PDU.inconsistentValue,
                    PDU.resourceUnavailable, PDU.authorizationError, PDU.notWritable, PDU.inconsistentName -> OutcomeStatus.REJECTED;
            default -> OutcomeStatus.FAILED;
        };
    }

    /** The RFC 3416 name of an error-status. */
    static String errorName(int errorStatus) {
        return errorStatus >= 0 && errorStatus < ERROR_STATUS.size() ? ERROR_STATUS.get(errorStatus) : "error-status " + errorStatus;
    }

    /**
     * Learns the agent's authoritative engine id (RFC 3414 section 4), once: concurrent callers wait
     * for the first, each within its own deadline, so that requests never race a discovery.
     */
    private Reply discover(Snmp s, UdpAddress to, long deadline) {
        try {
            if (!discovery.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return new Reply(OutcomeStatus.TIMEOUT, null, "no answer to SNMPv3 engine discovery in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(OutcomeStatus.FAILED, null, "interrupted");
        }
        try {
            if (engineId != null) {
                return null;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left < 1) {
                return new Reply(OutcomeStatus.TIMEOUT, null, "no time left for SNMPv3 engine discovery");
            }
            byte[] id = s.discoverAuthoritativeEngineID(to, left);
            if (id == null || id.length == 0) {
                return new Reply(OutcomeStatus.TIMEOUT, null, "no answer to SNMPv3 engine discovery within " + left + " ms");
            }
            localize(id);
            engineId = id;
            log.debug("device {}: authoritative engine id {}", deviceId, DeviceModel.hex(id));
            return null;
        } finally {
            discovery.unlock();
        }
    }

    /**
     * Adds the user with keys localized to the agent's engine (RFC 3414 section 2.6), once per
     * engine id: the password-to-key transformation hashes a megabyte per key, too slow to repeat
     * in every caller.
     */
    private void localize(byte[] engine) {
        SecurityProtocols protocols = usm.getSecurityProtocols();
        OctetString name = new OctetString(settings.user());
        byte[] authKey = protocols.passwordToKey(authId, new OctetString(settings.authPassphrase()), engine);
        byte[] privKey = privId == null ? null
                : protocols.passwordToKey(privId, authId, new OctetString(settings.privPassphrase()), engine);
        usm.removeAllUsers(name);
        usm.addLocalizedUser(engine, name, authId, authKey, privId, privKey);
    }

    private Target<UdpAddress> target(UdpAddress to, long leftMillis) {
        Target<UdpAddress> t;
        if (settings.version() == SnmpSettings.Version.V3) {
            UserTarget<UdpAddress> u = new UserTarget<>(to, new OctetString(settings.user()), engineId,
                    settings.securityLevel() == SnmpSettings.SecurityLevel.AUTH_PRIV
                            ? org.snmp4j.security.SecurityLevel.AUTH_PRIV : org.snmp4j.security.SecurityLevel.AUTH_NOPRIV);
            u.setSecurityModel(SecurityModel.SECURITY_MODEL_USM);
            t = u;
        } else {
            CommunityTarget<UdpAddress> c = new CommunityTarget<>(to, new OctetString(settings.community()));
            c.setVersion(SnmpConstants.version2c);
            t = c;
        }
        int retries = settings.retries();
        long perTry = leftMillis / (retries + 1);
        if (perTry < 50) {
            retries = 0;
            perTry = leftMillis;
        }
        t.setRetries(retries);
        t.setTimeout(Math.max(1, perTry));
        t.setMaxSizeRequestPDU(65535);
        return t;
    }

    /** Guarded by lock: opens the UDP socket and the snmp4j machinery; null when it worked. */
    private Reply open() {
        InetAddress host;
        try {
            host = InetAddress.getByName(settings.host());
        } catch (UnknownHostException e) {
            return new Reply(OutcomeStatus.UNREACHABLE, null, "cannot resolve host " + settings.host());
        }
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv2c());
        if (settings.version() == SnmpSettings.Version.V3) {
            SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.none);
            AuthenticationProtocol auth = switch (settings.auth()) {
                case SHA -> new AuthSHA();
                case SHA224 -> new AuthHMAC128SHA224();
                case SHA256 -> new AuthHMAC192SHA256();
                case SHA384 -> new AuthHMAC256SHA384();
                case SHA512 -> new AuthHMAC384SHA512();
            };
            protocols.addAuthenticationProtocol(auth);
            OID privId = null;
            if (settings.priv() != null) {
                PrivacyProtocol priv = switch (settings.priv()) {
                    case AES128 -> new PrivAES128();
                    case AES192 -> new PrivAES192();
                    case AES256 -> new PrivAES256();
                };
                protocols.addPrivacyProtocol(priv);
                privId = priv.getID();
            }
            byte[] localEngine = MPv3.createLocalEngineID();
            USM u = new USM(protocols, new OctetString(localEngine), 0);
            dispatcher.addMessageProcessingModel(new MPv3(localEngine, null, protocols,
                    SecurityModels.getCollection(new SecurityModel[] {u}), new CounterSupport()));
            usm = u;
            authId = auth.getID();
            this.privId = privId;
        }
        DefaultUdpTransportMapping transport = null;
        try {
            transport = new DefaultUdpTransportMapping();
            Snmp s = new Snmp(dispatcher, transport);
            Snmp.ReportHandler standard = s.getReportHandler();
            s.setReportHandler(new Snmp.ReportHandler() {
                @Override
                public <A extends Address> void processReport(PduHandle handle, CommandResponderEvent<A> event) {
                    PDU report = event.getPDU();
                    CompletableFuture<ResponseEvent<?>> w = handle == null ? null : waiting.get(handle.getTransactionID());
                    if (w != null && report != null && report.size() > 0 && endsRequest(report.get(0).getOid())) {
                        w.complete(new ResponseEvent<>(s, event.getPeerAddress(), null, report, null));
                    }
                    standard.processReport(handle, event);
                }
            });
            s.listen();
            snmp = s;
            address = new UdpAddress(host, settings.port());
            log.debug("device {}: SNMP session open from {}", deviceId, transport.getListenAddress());
            return null;
        } catch (IOException e) {
            if (transport != null) {
                try {
                    transport.close();
                } catch (IOException ignored) {
                    // the socket could not be opened in the first place
                }
            }
            return new Reply(OutcomeStatus.FAILED, null, "cannot open a UDP socket: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        Snmp s;
        synchronized (lock) {
            closed = true;
            s = snmp;
            snmp = null;
        }
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                log.warn("device {}: closing the SNMP session failed: {}", deviceId, e.toString());
            }
        }
    }
}
