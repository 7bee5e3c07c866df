package org.arbiter.adapter.snmp;

import org.arbiter.core.adapter.AdapterConfig;
import org.arbiter.core.adapter.AdapterConfigException;
import org.arbiter.core.adapter.DeviceAdapterProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code snmp} device protocol: reservations become rows of the tables a device model file
 * describes, written over SNMPv3 (USM) or SNMPv2c with RowStatus (RFC 2579).
 *
 * <p>Configuration section (see {@code docs/adapters.md} for every key, default and range):
 * <pre>
 * host: 192.0.2.10                 # required
 * port: 161
 * version: 3                       # 3 (default) or 2c
 * user: arbiter                    # v3: required
 * security-level: authPriv         # v3: authPriv (default) or authNoPriv
 * auth-protocol: sha256            # v3: sha, sha224, sha256 (default), sha384, sha512
 * auth-passphrase: ...             # v3: required, 8..256 characters
 * priv-protocol: aes128            # v3 authPriv: aes128 (default), aes192, aes256
 * priv-passphrase: ...             # v3 authPriv: required, 8..256 characters
 * context-name: ""                 # v3
 * community: ...                   # v2c: required
 * model: docsis-qos-service-class  # required: a shipped model or &lt;model-dir&gt;/&lt;model&gt;.yaml
 * model-dir: /etc/arbiter/models   # optional
 * retries: 1                       # 0..5, within each call's timeout
 * max-pdu-bytes: 1400              # 484..65507
 * max-varbinds: 60                 # 1..1000
 * </pre>
 * SNMPv2c and authNoPriv are allowed only when configured explicitly, and are logged at WARN.
 * Secrets (community, passphrases) are never logged or echoed in errors.
 *
 * <p><b>Threading.</b> {@link #create} may be called from any thread; it reads the model file but
 * does not contact the device.
 */
public final class SnmpAdapterProvider implements DeviceAdapterProvider {

    /** The protocol name devices use in the configuration. */
    public static final String NAME = "snmp";

    private static final Logger log = LoggerFactory.getLogger(SnmpAdapterProvider.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    /**
     * @throws AdapterConfigException naming the key path, the value (never a secret) and what is
     *     allowed; a bad model file is reported under {@code model} with its file, line and column
     */
    @Override
    public SnmpDevice create(AdapterConfig config) {
        SnmpSettings settings = SnmpSettings.from(config);
        if (settings.version() == SnmpSettings.Version.V2C) {
            log.warn("device {}: SNMPv2c sends the community in clear text and authenticates nothing; prefer version 3 with authPriv",
                    config.deviceId());
        } else if (settings.securityLevel() == SnmpSettings.SecurityLevel.AUTH_NO_PRIV) {
            log.warn("device {}: SNMPv3 authNoPriv sends reservations unencrypted; prefer authPriv", config.deviceId());
        }
        if (settings.auth() == SnmpSettings.Auth.SHA) {
            log.warn("device {}: auth-protocol sha is HMAC-SHA-1 (RFC 3414); prefer sha256 (RFC 7860)", config.deviceId());
        }
        log.info("device {}: snmp adapter for {}:{} ({}), model {} from {}", config.deviceId(), settings.host(), settings.port(),
                settings.version() == SnmpSettings.Version.V3 ? "SNMPv3 " + settings.securityLevel() : "SNMPv2c",
                settings.model().name(), settings.model().source());
        return new SnmpDevice(config.deviceId(), settings);
    }
}
