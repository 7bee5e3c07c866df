package org.arbiter.bench.rx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

class RxLoadGeneratorTest {

    @Test
    void theGeneratorUsesEpollOnLinuxX8664() {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "epoll's native library is shipped for Linux x86-64 only");
        assertThat(Epoll.unavailabilityCause()).as("why epoll does not load").isNull();
        assertThat(RxLoadGenerator.transport()).isEqualTo("epoll");
    }
}
