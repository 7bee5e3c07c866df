package org.arbiter.bench.diameter;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.arbiter.bench.rx.BenchWorld;
import org.arbiter.bench.rx.RxTraffic;
import org.arbiter.diameter.codec.AnswerBuilder;
import org.arbiter.diameter.codec.Avp;
import org.arbiter.diameter.codec.AvpDef;
import org.arbiter.diameter.codec.DiameterDecoder;
import org.arbiter.diameter.codec.DiameterEncoder;
import org.arbiter.diameter.codec.DiameterMessage;
import org.arbiter.diameter.codec.Dictionary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Diameter codec on the benchmark's realistic AAR (Kamailio's shape: 2 media components, 4
 * Codec-Data with extended SDP, 1,028 bytes): decoding a frame and reading what the Rx front end
 * reads from it, encoding the AAR, and building and encoding the AAA.
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/bench-classpath.txt)"
 * org.openjdk.jmh.Main CodecBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBenchmark {

    private static final Dictionary D = Dictionary.standard();
    private static final AvpDef MCD = D.avp("Media-Component-Description");
    private static final AvpDef SESSION_ID = D.avp("Session-Id");

    private byte[] aarFrame;
    private DiameterMessage aar;

    @Setup
    public void setUp() {
        RxTraffic traffic = new RxTraffic("rx.test", "pdp.test", 1, BenchWorld.ueAddresses(1));
        aar = traffic.aar(0, 0, 123_456, 1, 1, false);
        aarFrame = DiameterEncoder.toBytes(aar);
        if (!(DiameterDecoder.parseFrame(aarFrame, D) instanceof DiameterMessage)) {
            throw new IllegalStateException("the benchmark AAR does not decode");
        }
    }

    /** Frame parse (every AVP checked against the dictionary), then the media components and their children walked. */
    @Benchmark
    public void decodeAar(Blackhole bh) {
        DiameterMessage m = (DiameterMessage) DiameterDecoder.parseFrame(aarFrame, D);
        bh.consume(m.text(SESSION_ID));
        for (Avp mcd : m.findAll(MCD)) {
            for (Avp c : mcd.children()) {
                bh.consume(c.code() == 524 ? c.utf8() : c);
            }
        }
    }

    /** The AAR written to a pooled direct buffer, as the encoder does. */
    @Benchmark
    public int encodeAar() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(aar.length());
        aar.encode(b);
        int n = b.readableBytes();
        b.release();
        return n;
    }

    /** The AAA (Session-Id, Origin-Host/Realm, Auth-Application-Id, Result-Code) built and encoded. */
    @Benchmark
    public int buildAndEncodeAaa() {
        DiameterMessage aaa = AnswerBuilder.to(aar, "pdp.bench.test", "pdp.test")
                .add(Avp.unsigned32(D.avp("Auth-Application-Id"), 16777236L)).resultCode(2001).build();
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(aaa.length());
        aaa.encode(b);
        int n = b.readableBytes();
        b.release();
        return n;
    }
}
