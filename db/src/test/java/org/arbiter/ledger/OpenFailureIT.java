package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.arbiter.core.ledger.Ledger.LedgerException;
import org.junit.jupiter.api.Test;

class OpenFailureIT {

    @Test
    void unreachableDatabaseFailsFastNamingTheUrlWithoutThePassword() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        LedgerConfig config = new LedgerConfig("jdbc:postgresql://127.0.0.1:" + port + "/arbiter?password=s3cret",
                "arbiter", "hunter2", 2, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ZERO);

        assertThatThrownBy(() -> JdbcLedger.open(config))
                .isInstanceOf(LedgerException.class)
                .hasMessageStartingWith("cannot open the ledger database jdbc:postgresql://127.0.0.1:" + port
                        + "/arbiter?password=**** as user 'arbiter': ")
                .hasMessageContaining("Connection to 127.0.0.1:" + port + " refused")
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("hunter2");
    }
}
