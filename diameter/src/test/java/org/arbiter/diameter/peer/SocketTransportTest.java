package org.arbiter.diameter.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class SocketTransportTest {

    /** The native library ships in the build for Linux x86-64: a packaging that lost it falls back to NIO and fails here. */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void linuxX8664UsesEpoll() {
        assertThat(SocketTransport.whyNotEpoll()).isNull();
        assertThat(SocketTransport.current()).isEqualTo(SocketTransport.EPOLL);
    }

    @Test
    void eachTransportNamesItsOwnChannels() {
        assertThat(SocketTransport.EPOLL.serverChannel()).isEqualTo(EpollServerSocketChannel.class);
        assertThat(SocketTransport.EPOLL.clientChannel()).isEqualTo(EpollSocketChannel.class);
        assertThat(SocketTransport.NIO.serverChannel()).isEqualTo(NioServerSocketChannel.class);
        assertThat(SocketTransport.NIO.clientChannel()).isEqualTo(NioSocketChannel.class);
    }
}
