package org.arbiter.diameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DiameterConfigTest {

    private static DiameterConfig.Builder valid() {
        return DiameterConfig.builder("pdp.test", "pdp.test").listen("127.0.0.1", 0);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        DiameterConfig c = DiameterConfig.builder("pdp.test", "pdp.test").build();

        assertThat(c.listenPort()).isEqualTo(3868);
        assertThat(c.watchdogInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxMessageSize()).isEqualTo(65536);
        assertThat(c.maxInFlight()).isEqualTo(256);
        assertThat(c.handlerConcurrency()).isEqualTo(64);
        assertThat(c.queueDeadline()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.productName()).isEqualTo("Arbiter");
    }

    @Test
    void handlerConcurrencyDefaultsToMaxInFlightWhenThatIsSmaller() {
        assertThat(valid().maxInFlight(8).build().handlerConcurrency()).isEqualTo(8);
    }

    @Test
    void handlerConcurrencyAboveMaxInFlightIsRefused() {
        assertThatThrownBy(() -> valid().maxInFlight(100).handlerConcurrency(101).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("diameter.handler-concurrency")
                .hasMessageContaining("'101'")
                .hasMessageContaining("1..max-in-flight (100)");
    }

    @Test
    void queueDeadlineBelowTenMillisecondsIsRefused() {
        assertThatThrownBy(() -> valid().queueDeadline(Duration.ofMillis(5)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("diameter.queue-deadline")
                .hasMessageContaining("'PT0.005S'")
                .hasMessageContaining("10ms..5m");
    }

    @Test
    void ipLiteralIsAValidOriginHost() {
        assertThat(DiameterConfig.builder("127.0.0.1", "rx.test").build().originHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void badOriginHostNamesTheKeyTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> DiameterConfig.builder("pdp test", "pdp.test").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("diameter.origin-host")
                .hasMessageContaining("'pdp test'")
                .hasMessageContaining("DiameterIdentity");
    }

    @Test
    void watchdogIntervalBelowOneSecondIsRefused() {
        assertThatThrownBy(() -> valid().watchdogInterval(Duration.ofMillis(10)).build())
                .hasMessageContaining("diameter.watchdog-interval").hasMessageContaining("1s..1h");
    }

    @Test
    void tinyMaxMessageSizeIsRefused() {
        assertThatThrownBy(() -> valid().maxMessageSize(10).build()).hasMessageContaining("diameter.max-message-size");
    }

    @Test
    void tlsConnectPeerWithoutTlsSettingsIsRefused() {
        assertThatThrownBy(() -> valid().connect(new DiameterConfig.ConnectPeer("pcrf.test", "127.0.0.1", 3868, true)).build())
                .hasMessageContaining("diameter.connect-peers[0].tls");
    }

    @Test
    void unreadableKeyStoreIsRefused() {
        assertThatThrownBy(() -> DiameterConfig.TlsConfig.ofKeyStores(0, Path.of("/nonexistent/k.p12"), "x", Path.of("/nonexistent/t.p12"), "x"))
                .hasMessageContaining("diameter.tls.key-store").hasMessageContaining("a readable file");
    }

    @Test
    void tlsSettingsNeverPrintPasswords() {
        DiameterConfig.TlsConfig t = new DiameterConfig.TlsConfig(0, null, null, Path.of("/dev/null"), Path.of("/dev/null"), null, "s3cret", Path.of("/dev/null"));

        assertThat(t.toString()).doesNotContain("s3cret");
    }

    @Test
    void allowListMatchesHostCaseInsensitivelyAndChecksTheAddress() throws Exception {
        DiameterConfig c = valid().allow("PCSCF.rx.test", "127.0.0.1").build();

        assertThat(c.allows("pcscf.rx.test", InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(c.allows("pcscf.rx.test", InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(c.allows("other.rx.test", InetAddress.getByName("127.0.0.1"))).isFalse();
    }

    @Test
    void configuredPeersAreAllowedFromAnyAddress() throws Exception {
        DiameterConfig c = valid().connect(new DiameterConfig.ConnectPeer("pcrf.test", "127.0.0.1", 3868, false)).build();

        assertThat(c.allows("pcrf.test", InetAddress.getByName("127.0.0.9"))).isTrue();
    }
}
