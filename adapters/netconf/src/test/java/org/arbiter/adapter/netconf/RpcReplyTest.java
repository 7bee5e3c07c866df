package org.arbiter.adapter.netconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.arbiter.core.adapter.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RpcReplyTest {

    /**
     * Captured from yuma123 netconfd 2.13 (Debian 2.13-1, --target=candidate) answering an
     * edit-config whose entry arb-d had latency-ms 20000 against the arbiter-qos module (range 1..10000).
     */
    static final String NETCONFD_NOT_IN_RANGE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rpc-reply message-id="2" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"
              xmlns:arbq="urn:arbiter:qos"
              xmlns:ncx="http://netconfcentral.org/ns/yuma-ncx"
              xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
              <rpc-error>
                <error-type>protocol</error-type>
                <error-tag>invalid-value</error-tag>
                <error-severity>error</error-severity>
                <error-app-tag>not-in-range</error-app-tag>
                <error-path>/nc:rpc/nc:edit-config/nc:config/arbq:reservations/arbq:reservation[arbq:name='arb-d']/arbq:latency-ms</error-path>
                <error-message xml:lang="en">value not in range</error-message>
                <error-info>
                  <bad-value xmlns="http://netconfcentral.org/ns/yuma-ncx">20000</bad-value>
                  <error-number xmlns="http://netconfcentral.org/ns/yuma-ncx">288</error-number>
                </error-info>
              </rpc-error>
            </rpc-reply>""";

    /** Captured from the same netconfd: lock of a candidate holding another session's uncommitted edits. */
    static final String NETCONFD_DIRTY_CANDIDATE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rpc-reply message-id="1" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"
              xmlns:ncx="http://netconfcentral.org/ns/yuma-ncx"
              xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
              <rpc-error>
                <error-type>protocol</error-type>
                <error-tag>resource-denied</error-tag>
                <error-severity>error</error-severity>
                <error-app-tag>no-access</error-app-tag>
                <error-message xml:lang="en">candidate cannot be locked, discard-changes needed</error-message>
                <error-info>
                  <error-number xmlns="http://netconfcentral.org/ns/yuma-ncx">367</error-number>
                </error-info>
              </rpc-error>
            </rpc-reply>""";

    static RpcReply reply(String xml) throws Xml.MalformedXmlException {
        return RpcReply.of(Xml.parse(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String error(String tag, String appTag, String severity) {
        return "<rpc-reply message-id=\"9\" xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><rpc-error>"
                + "<error-type>application</error-type><error-tag>" + tag + "</error-tag>"
                + "<error-severity>" + severity + "</error-severity>"
                + (appTag.isEmpty() ? "" : "<error-app-tag>" + appTag + "</error-app-tag>")
                + "</rpc-error></rpc-reply>";
    }

    @Test
    void netconfdRangeErrorIsReadWithTagAppTagPathAndMessage() throws Exception {
        RpcReply r = reply(NETCONFD_NOT_IN_RANGE);

        assertThat(r.messageId()).isEqualTo("2");
        assertThat(r.succeeded()).isFalse();
        assertThat(r.failures()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("protocol");
            assertThat(e.tag()).isEqualTo("invalid-value");
            assertThat(e.appTag()).isEqualTo("not-in-range");
            assertThat(e.path()).endsWith("arbq:reservation[arbq:name='arb-d']/arbq:latency-ms");
            assertThat(e.message()).isEqualTo("value not in range");
            assertThat(e.status()).isEqualTo(OutcomeStatus.REJECTED);
        });
    }

    @Test
    void summaryNamesTagAppTagPathAndMessage() throws Exception {
        assertThat(reply(NETCONFD_NOT_IN_RANGE).failureSummary()).isEqualTo("rpc-error invalid-value (not-in-range) at "
                + "/nc:rpc/nc:edit-config/nc:config/arbq:reservations/arbq:reservation[arbq:name='arb-d']/arbq:latency-ms: "
                + "value not in range");
    }

    @Test
    void okReplySucceeds() throws Exception {
        RpcReply r = reply("<rpc-reply message-id=\"3\" xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><ok/></rpc-reply>");

        assertThat(r.ok()).isTrue();
        assertThat(r.succeeded()).isTrue();
        assertThat(r.data()).isNull();
    }

    @Test
    void dataReplyCarriesTheDataElement() throws Exception {
        RpcReply r = reply("<rpc-reply message-id=\"4\" xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"
                + "<data><x xmlns=\"urn:x\"/></data></rpc-reply>");

        assertThat(r.data()).isNotNull();
        assertThat(r.data().getFirstChild().getLocalName()).isEqualTo("x");
    }

    @Test
    void warningAloneDoesNotFailTheReply() throws Exception {
        RpcReply r = reply(error("operation-failed", "", "warning"));

        assertThat(r.errors()).hasSize(1);
        assertThat(r.succeeded()).isTrue();
        assertThat(r.failures()).isEmpty();
    }

    @ParameterizedTest(name = "{0} ({1}) -> {2}")
    @CsvSource({
        "invalid-value, not-in-range, REJECTED",
        "access-denied, '', REJECTED",
        "resource-denied, no-access, REJECTED",
        "data-exists, '', REJECTED",
        "data-missing, instance-required, REJECTED",
        "unknown-element, data-invalid, REJECTED",
        "operation-failed, data-not-unique, REJECTED",
        "operation-failed, must-violation, REJECTED",
        "operation-failed, '', FAILED",
        "lock-denied, '', FAILED",
        "in-use, '', FAILED",
        "rollback-failed, '', FAILED",
        "partial-operation, '', FAILED",
        "malformed-message, '', FAILED",
    })
    void errorTagsMapToOutcomes(String tag, String appTag, OutcomeStatus status) throws Exception {
        assertThat(reply(error(tag, appTag, "error")).failures().getFirst().status()).isEqualTo(status);
    }

    @Test
    void lockDeniedIsMarkedRetryable() throws Exception {
        RpcReply.RpcError e = reply(error("lock-denied", "", "error")).failures().getFirst();

        assertThat(e.isContention()).isTrue();
        assertThat(e.summary()).contains("lock-denied").contains("retryable");
    }

    @Test
    void dirtyCandidateLockRefusalIsNotContention() throws Exception {
        RpcReply.RpcError e = reply(NETCONFD_DIRTY_CANDIDATE).failures().getFirst();

        assertThat(e.isContention()).isFalse();
        assertThat(e.summary()).contains("discard-changes needed");
    }

    @Test
    void aDocumentThatIsNoRpcReplyIsMalformed() {
        assertThatThrownBy(() -> reply("<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"/>"))
                .isInstanceOf(Xml.MalformedXmlException.class).hasMessageContaining("expected an rpc-reply");
    }

    @Test
    void rpcReplyInAnotherNamespaceIsMalformed() {
        assertThatThrownBy(() -> reply("<rpc-reply xmlns=\"urn:other\"><ok/></rpc-reply>"))
                .isInstanceOf(Xml.MalformedXmlException.class);
    }

    @Test
    void brokenXmlIsMalformedWithItsPosition() {
        assertThatThrownBy(() -> reply("<rpc-reply xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><ok></rpc-reply>"))
                .isInstanceOf(Xml.MalformedXmlException.class).hasMessageContaining("line 1");
    }

    @Test
    void documentTypeDeclarationsAreRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<rpc-reply xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><data>&x;</data></rpc-reply>";

        assertThatThrownBy(() -> reply(xxe)).isInstanceOf(Xml.MalformedXmlException.class).hasMessageContaining("DOCTYPE");
    }
}
