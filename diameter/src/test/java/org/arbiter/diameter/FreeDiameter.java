package org.arbiter.diameter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A freeDiameterd (Debian {@code freediameterd} 1.2.1) process started by a test: its
 * configuration and log live in the test's temporary directory; {@link #stop()} sends SIGTERM
 * (it then sends DPR to its peers) and waits for it to exit.
 */
public final class FreeDiameter {

    private final Process process;
    private final Path log;

    private FreeDiameter(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts freeDiameterd as {@code identity} connecting to {@code peerHost} at 127.0.0.1:{@code peerPort}.
     *
     * @param extra further configuration lines (e.g. {@code NoRelay;})
     */
    public static FreeDiameter start(Path dir, String identity, int ownPort, String peerHost, int peerPort, String extra) throws IOException {
        Path conf = dir.resolve(identity + ".conf");
        Files.writeString(conf, """
                Identity = "%s";
                Realm = "fd.test";
                Port = %d;
                SecPort = 0;
                ListenOn = "127.0.0.1";
                No_SCTP;
                No_IPv6;
                TcTimer = 2;
                TwTimer = 6;
                %s
                ConnectPeer = "%s" { ConnectTo = "127.0.0.1"; Port = %d; No_TLS; };
                """.formatted(identity, ownPort, extra, peerHost, peerPort));
        Path log = dir.resolve(identity + ".log");
        Process p = new ProcessBuilder("freeDiameterd", "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new FreeDiameter(p, log);
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, then wait up to 20 s (freeDiameterd waits up to 16 s for its peers), then SIGKILL. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Stops it if it still runs. */
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
