package org.arbiter.adapter.netconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    /**
     * Captured from yuma123 netconfd 2.13 (Debian 2.13-1) with --target=candidate and the
     * arbiter-qos module, shortened to the capabilities the adapter looks at plus the ietf-netconf
     * module capability, whose features list writable-running and startup although neither is
     * advertised as a capability.
     */
    static final String NETCONFD_HELLO = """
            <?xml version="1.0" encoding="UTF-8"?>
            <hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
              <capabilities>
                <capability>urn:ietf:params:netconf:base:1.0</capability>
                <capability>urn:ietf:params:netconf:base:1.1</capability>
                <capability>urn:ietf:params:netconf:capability:candidate:1.0</capability>
                <capability>urn:ietf:params:netconf:capability:confirmed-commit:1.0</capability>
                <capability>urn:ietf:params:netconf:capability:confirmed-commit:1.1</capability>
                <capability>urn:ietf:params:netconf:capability:rollback-on-error:1.0</capability>
                <capability>urn:ietf:params:netconf:capability:validate:1.0</capability>
                <capability>urn:ietf:params:netconf:capability:validate:1.1</capability>
                <capability>urn:ietf:params:netconf:capability:xpath:1.0</capability>
                <capability>urn:arbiter:qos?module=arbiter-qos&amp;revision=2026-01-01</capability>
                <capability>urn:ietf:params:xml:ns:netconf:base:1.0?module=ietf-netconf&amp;revision=2011-06-01&amp;features=writable-running,candidate,confirmed-commit,rollback-on-error,validate,startup,url,xpath</capability>
                <capability>urn:ietf:params:netconf:capability:yang-library:1.0?revision=2016-06-21&amp;module-set-id=aac0ce132c5efc8119aa7a12034e8de874b95c20</capability>
              </capabilities>
              <session-id>5</session-id>
            </hello>""";

    private static Capabilities hello(String xml) throws Xml.MalformedXmlException {
        return Capabilities.ofHello(Xml.parse(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void netconfdHelloOffersBase11CandidateConfirmedCommitAndRollback() throws Exception {
        Capabilities c = hello(NETCONFD_HELLO);

        assertThat(c.sessionId()).isEqualTo("5");
        assertThat(c.base11()).isTrue();
        assertThat(c.candidate()).isTrue();
        assertThat(c.confirmedCommit()).isTrue();
        assertThat(c.rollbackOnError()).isTrue();
    }

    @Test
    void featuresOfTheModuleCapabilityAreNotTrustedAsCapabilities() throws Exception {
        assertThat(hello(NETCONFD_HELLO).writableRunning()).isFalse();
    }

    @Test
    void moduleCapabilityIsFoundByModuleName() throws Exception {
        Capabilities c = hello(NETCONFD_HELLO);

        assertThat(c.advertisesModule("arbiter-qos")).isTrue();
        assertThat(c.advertisesModule("arbiter")).isFalse();
        assertThat(c.advertisesModule("ietf-interfaces")).isFalse();
    }

    @Test
    void helloWithoutCapabilitiesIsMalformed() {
        assertThatThrownBy(() -> hello("<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"/>"))
                .isInstanceOf(Xml.MalformedXmlException.class).hasMessageContaining("without capabilities");
    }

    @Test
    void anRpcReplyInsteadOfAHelloIsMalformed() {
        assertThatThrownBy(() -> hello("<rpc-reply xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><ok/></rpc-reply>"))
                .isInstanceOf(Xml.MalformedXmlException.class).hasMessageContaining("expected a hello");
    }
}
