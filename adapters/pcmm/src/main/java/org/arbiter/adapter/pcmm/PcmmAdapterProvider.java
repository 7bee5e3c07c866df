package org.arbiter.adapter.pcmm;

import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.DeviceAdapterProvider;

/**
 * The {@code pcmm} device protocol: a CMTS enforcing reservations as PacketCable Multimedia gates
 * over COPS (RFC 2748, client-type 0x800A), with this server as the Policy Server
 * ({@link PcmmDevice}).
 *
 * <p>Configuration section:
 * <pre>
 * host:               cmts1.example.net  # required; the CMTS (the Policy Server connects to it)
 * port:               3918     # 1..65535
 * amid:               "1:42"   # required; Application Manager ID: "type:tag" (each 0..65535) or the
 *                              #   32-bit integer type &lt;&lt; 16 | tag, not 0
 * keepalive-seconds:  30       # 1..65535; KA timer given to the CMTS in Client-Accept; the CMTS is
 *                              #   declared dead after this long without a message
 * service-class:      (none)   # DOCSIS Service Class Name (1..15 characters) for every gate, or a map
 *                              #   {upstream: NAME, downstream: NAME}; without one the profile below is used
 * upstream-profile:   flowspec # flowspec | best-effort | rtps | ugs (from the rate and burst)
 * downstream-profile: flowspec # flowspec | downstream-service
 * session-priority:   0        # 0..7, SessionClassID priority
 * preemption:         false    # SessionClassID preemption bit
 * timeout-ms:         5000     # 100..600000; TCP connect, Client-Open, REQ and the first Synch must
 *                              #   complete within it, else the attempt fails and is retried
 * reconnect-min-ms:   1000     # 10..600000; first delay before reconnecting, doubled per failure
 * reconnect-max-ms:   30000    # 10..3600000, at least reconnect-min-ms; largest delay
 * </pre>
 * Any other key stops startup with an {@link org.arbiter.core.adapter.AdapterConfigException}
 * naming its path. {@link #create} does not contact the CMTS; the session opens on the first call.
 *
 * <p><b>Threading.</b> Stateless; {@link #create} may be called from any thread.
 */
public final class PcmmAdapterProvider implements DeviceAdapterProvider {

    /** The protocol name devices use in the configuration. */
    public static final String NAME = "pcmm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public PcmmDevice create(AdapterConfig config) {
        return new PcmmDevice(PcmmConfig.from(config));
    }
}
