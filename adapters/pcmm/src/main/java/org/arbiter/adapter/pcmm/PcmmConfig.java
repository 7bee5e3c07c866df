package org.arbiter.adapter.pcmm;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.arbiter.adapter.pcmm.cops.CopsException;
import org.arbiter.adapter.pcmm.mm.PcmmObject;
import org.arbiter.adapter.pcmm.mm.TrafficProfile;
import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.AdapterConfigException;

/**
 * The validated configuration of one CMTS (see {@link PcmmAdapterProvider} for the keys).
 *
 * @param deviceId the device id
 * @param host the CMTS address
 * @param port the CMTS COPS port
 * @param amid the Application Manager ID put in every gate
 * @param keepAliveSeconds the KA timer the Policy Server gives the CMTS in its Client-Accept
 * @param upstreamServiceClass the DOCSIS Service Class Name for upstream gates, or {@code null}
 * @param downstreamServiceClass the DOCSIS Service Class Name for downstream gates, or {@code null}
 * @param upstreamProfile the traffic profile built from the rate for upstream gates without a class name
 * @param downstreamProfile the traffic profile built from the rate for downstream gates without a class name
 * @param sessionPriority the SessionClassID priority, 0..7
 * @param preemption the SessionClassID preemption bit
 * @param timeout how long a connection attempt (TCP, OPN, REQ, first synchronization) may take
 * @param reconnectMin the first reconnect delay
 * @param reconnectMax the largest reconnect delay
 */
record PcmmConfig(String deviceId, String host, int port, PcmmObject.Amid amid, int keepAliveSeconds, String upstreamServiceClass,
        String downstreamServiceClass, UpstreamProfile upstreamProfile, DownstreamProfile downstreamProfile, int sessionPriority,
        boolean preemption, Duration timeout, Duration reconnectMin, Duration reconnectMax) {

    /** The COPS port PacketCable Multimedia assigns to the CMTS. */
    static final int DEFAULT_PORT = 3918;

    static final Set<String> KEYS = Set.of("host", "port", "amid", "keepalive-seconds", "service-class", "upstream-profile",
            "downstream-profile", "session-priority", "preemption", "timeout-ms", "reconnect-min-ms", "reconnect-max-ms");

    /** The profile an upstream gate gets from the reservation's rate and burst (configured in kebab-case). */
    enum UpstreamProfile { FLOWSPEC, BEST_EFFORT, RTPS, UGS }

    /** The profile a downstream gate gets from the reservation's rate and burst. */
    enum DownstreamProfile { FLOWSPEC, DOWNSTREAM_SERVICE }

    PcmmConfig {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(amid, "amid");
        Objects.requireNonNull(upstreamProfile, "upstreamProfile");
        Objects.requireNonNull(downstreamProfile, "downstreamProfile");
    }

    /** Validates a configuration section; every mistake names its key path. */
    static PcmmConfig from(AdapterConfig c) {
        c.rejectUnknownKeys(KEYS);
        String host = c.requireString("host");
        if (host.isBlank()) {
            throw new AdapterConfigException(c.path() + ".host", host, "a host name or address");
        }
        int port = (int) c.integer("port", DEFAULT_PORT, 1, 65535);
        PcmmObject.Amid amid = amid(c);
        int ka = (int) c.integer("keepalive-seconds", 30, 1, 65535);
        String[] classes = serviceClasses(c);
        UpstreamProfile up = choice(c, "upstream-profile", UpstreamProfile.values(), UpstreamProfile.FLOWSPEC);
        DownstreamProfile down = choice(c, "downstream-profile", DownstreamProfile.values(), DownstreamProfile.FLOWSPEC);
        int priority = (int) c.integer("session-priority", 0, 0, 7);
        boolean preemption = c.bool("preemption", false);
        long timeoutMs = c.integer("timeout-ms", 5_000, 100, 600_000);
        long minMs = c.integer("reconnect-min-ms", 1_000, 10, 600_000);
        long maxMs = c.integer("reconnect-max-ms", Math.max(30_000, minMs), 10, 3_600_000);
        if (maxMs < minMs) {
            throw new AdapterConfigException(c.path() + ".reconnect-max-ms", maxMs, "at least reconnect-min-ms (" + minMs + ")");
        }
        return new PcmmConfig(c.deviceId(), host, port, amid, ka, classes[0], classes[1], up, down, priority, preemption,
                Duration.ofMillis(timeoutMs), Duration.ofMillis(minMs), Duration.ofMillis(maxMs));
    }

    private static PcmmObject.Amid amid(AdapterConfig c) {
        Object v = c.settings().get("amid");
        String allowed = "an integer 1..4294967295 (Application Type << 16 | Application Manager Tag) or \"type:tag\" with "
                + "each part 0..65535, not 0:0";
        long value;
        if (v == null) {
            throw new AdapterConfigException(c.path() + ".amid", null, allowed);
        } else if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            value = n.longValue();
        } else if (v instanceof String s && s.matches("\\d{1,5}:\\d{1,5}")) {
            String[] p = s.split(":");
            long type = Long.parseLong(p[0]);
            long tag = Long.parseLong(p[1]);
            value = type > 0xFFFF || tag > 0xFFFF ? -1 : type << 16 | tag;
        } else {
            throw new AdapterConfigException(c.path() + ".amid", v, allowed);
        }
        if (value < 1 || value > 0xFFFF_FFFFL) {
            throw new AdapterConfigException(c.path() + ".amid", v, allowed);
        }
        return new PcmmObject.Amid((int) (value >> 16), (int) (value & 0xFFFF));
    }

    /** [upstream, downstream] service class names from a string (both) or a map {upstream, downstream}. */
    private static String[] serviceClasses(AdapterConfig c) {
        Object v = c.settings().get("service-class");
        if (v == null) {
            return new String[2];
        }
        if (v instanceof String s) {
            String name = serviceClassName(c.path() + ".service-class", s);
            return new String[] {name, name};
        }
        if (v instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!"upstream".equals(k) && !"downstream".equals(k)) {
                    throw new AdapterConfigException(c.path() + ".service-class." + k, m.get(k), "one of the keys [downstream, upstream]");
                }
            }
            return new String[] {optionalName(c.path() + ".service-class.upstream", m.get("upstream")),
                optionalName(c.path() + ".service-class.downstream", m.get("downstream"))};
        }
        throw new AdapterConfigException(c.path() + ".service-class", v,
                "a DOCSIS Service Class Name, or a map with the keys upstream and downstream");
    }

    private static String optionalName(String path, Object v) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new AdapterConfigException(path, v, "a DOCSIS Service Class Name");
        }
        return serviceClassName(path, s);
    }

    private static String serviceClassName(String path, String s) {
        try {
            return new TrafficProfile.ServiceClassName(TrafficProfile.AUTHORIZED_RESERVED_COMMITTED, s).name();
        } catch (CopsException e) {
            throw new AdapterConfigException(path, s, "a DOCSIS Service Class Name of 1..15 printable ASCII characters without spaces");
        }
    }

    private static <E extends Enum<E>> E choice(AdapterConfig c, String key, E[] values, E dflt) {
        Object v = c.settings().get(key);
        if (v == null) {
            return dflt;
        }
        Set<String> names = new TreeSet<>();
        for (E e : values) {
            String name = e.name().toLowerCase(Locale.ROOT).replace('_', '-');
            names.add(name);
            if (name.equals(v)) {
                return e;
            }
        }
        throw new AdapterConfigException(c.path() + "." + key, v, "one of " + names);
    }
}
