package org.arbiter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end-to-end fixtures refuse what would make a test silently test less. */
class FixturesIT {

    @TempDir
    Path dir;

    @Test
    void missingPeerProgramFailsNamingItsDebianPackage() {
        assertThatThrownBy(() -> Binaries.require("arbiter-e2e-no-such-program", "sip-tester"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("'arbiter-e2e-no-such-program' was not found")
                .hasMessageContaining("Debian package sip-tester");
    }

    @Test
    void templatePlaceholderWithoutValueIsRefused() {
        assertThatThrownBy(() -> Templates.fill("kamailio/cdp.xml", Map.of("ORIGIN_HOST", "pcscf.e2e.test"), dir.resolve("cdp.xml")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no value for [ORIGIN_REALM, PCRF_HOST, PCRF_PORT, PCRF_REALM, TC]");
        assertThat(dir.resolve("cdp.xml")).doesNotExist();
    }

    @Test
    void templateValueNeverUsedIsRefused() {
        Map<String, String> values = Map.of("ORIGIN_HOST", "h", "ORIGIN_REALM", "r", "PCRF_HOST", "127.0.0.1",
                "PCRF_PORT", "3868", "PCRF_REALM", "p", "TC", "2", "PCRF_PORTS", "3868");
        assertThatThrownBy(() -> Templates.fill("kamailio/cdp.xml", values, dir.resolve("cdp.xml")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("values never used [PCRF_PORTS]");
    }

    @Test
    void filledTemplateHasNoPlaceholderLeft() throws Exception {
        Map<String, String> values = Map.of("ORIGIN_HOST", "pcscf.e2e.test", "ORIGIN_REALM", "e2e.test",
                "PCRF_HOST", "127.0.0.1", "PCRF_PORT", "3868", "PCRF_REALM", "arbiter.test", "TC", "2");
        String xml = Files.readString(Templates.fill("kamailio/cdp.xml", values, dir.resolve("cdp.xml")));
        assertThat(xml).doesNotContain("{{").contains("<Peer FQDN=\"127.0.0.1\" Realm=\"arbiter.test\" port=\"3868\"/>");
    }
}
