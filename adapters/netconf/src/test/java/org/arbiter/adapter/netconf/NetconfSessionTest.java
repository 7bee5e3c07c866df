package org.arbiter.adapter.netconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.junit.jupiter.api.Test;

/** How a failed SSH handshake is told apart: a refused host key against everything else. */
class NetconfSessionTest {

    @Test
    void aHostKeyRefusalIsKnownByItsDisconnectReasonWhereverItIsWrapped() {
        SshException refused = new SshException(SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE, "Server key did not validate");

        assertThat(NetconfSession.hostKeyRefused(refused)).isTrue();
        assertThat(NetconfSession.hostKeyRefused(new IOException("session closed", refused))).isTrue();
    }

    @Test
    void otherFailuresAreNotHostKeyRefusals() {
        assertThat(NetconfSession.hostKeyRefused(null)).isFalse();
        assertThat(NetconfSession.hostKeyRefused(
                new SshException(SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE, "No more authentication methods available")))
                .isFalse();
        // the words alone do not decide
        assertThat(NetconfSession.hostKeyRefused(new IOException("Server key did not validate"))).isFalse();
    }
}
