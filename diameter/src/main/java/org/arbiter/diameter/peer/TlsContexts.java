package org.arbiter.diameter.peer;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.arbiter.diameter.DiameterConfig.TlsConfig;
import org.arbiter.diameter.DiameterException;

/**
 * Builds the JDK-provider TLS contexts from {@link TlsConfig}: servers require a client
 * certificate, both sides verify the chain against the configured trust material. As a client we
 * also verify that the server's certificate names the configured peer's Origin-Host (it is sent as
 * the TLS peer host); as a server we check the client's certificate names against the Origin-Host
 * of its CER. TLS 1.2 and 1.3 only.
 */
final class TlsContexts {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {}

    static SslContext server(TlsConfig tls) {
        try {
            SslContextBuilder b = tls.keyStore() != null
                    ? SslContextBuilder.forServer(keyManagers(tls))
                    : SslContextBuilder.forServer(tls.certificateChain().toFile(), tls.privateKey().toFile());
            return trust(b, tls).clientAuth(ClientAuth.REQUIRE).build();
        } catch (Exception e) {
            throw new DiameterException("cannot set up TLS from " + tls + ": " + e.getMessage(), e);
        }
    }

    static SslContext client(TlsConfig tls) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (tls.keyStore() != null) {
                b.keyManager(keyManagers(tls));
            } else {
                b.keyManager(tls.certificateChain().toFile(), tls.privateKey().toFile());
            }
            return trust(b, tls).build();
        } catch (Exception e) {
            throw new DiameterException("cannot set up TLS from " + tls + ": " + e.getMessage(), e);
        }
    }

    private static SslContextBuilder trust(SslContextBuilder b, TlsConfig tls) throws Exception {
        b.sslProvider(SslProvider.JDK).protocols(PROTOCOLS);
        if (tls.trustStore() != null) {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(tls.trustStore(), tls.trustStorePassword()));
            return b.trustManager(tmf);
        }
        return b.trustManager(tls.trustCertificates().toFile());
    }

    private static KeyManagerFactory keyManagers(TlsConfig tls) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        char[] pw = tls.keyStorePassword() != null ? tls.keyStorePassword().toCharArray() : new char[0];
        kmf.init(load(tls.keyStore(), tls.keyStorePassword()), pw);
        return kmf;
    }

    private static KeyStore load(Path file, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password != null ? password.toCharArray() : null);
        }
        return ks;
    }
}
