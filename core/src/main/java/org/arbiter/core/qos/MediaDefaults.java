package org.arbiter.core.qos;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.arbiter.core.session.MediaType;

/**
 * The bandwidth of a flow whose SDP and Rx request give none: by codec (the encoding name of the
 * preferred format), else by media type, else {@link #fallbackBps()}. Policy may replace any value;
 * {@link #builtIn()} lists the defaults and {@code docs/sdp-qos.md} explains them.
 *
 * <p>Values are IP-level bit/s for one direction (IP, UDP and RTP headers included), as
 * {@code b=AS} counts them. Immutable and thread-safe.
 *
 * @param mediaTypeBps bit/s per media type
 * @param codecBps bit/s per encoding name, keys in lower case ({@code pcmu}, {@code amr-wb}...)
 * @param fallbackBps bit/s for a media type the table does not list
 * @throws IllegalArgumentException when a value is below 1 bit/s (naming the entry)
 */
public record MediaDefaults(Map<MediaType, Long> mediaTypeBps, Map<String, Long> codecBps, long fallbackBps) {

    public MediaDefaults {
        Objects.requireNonNull(mediaTypeBps, "mediaTypeBps");
        Objects.requireNonNull(codecBps, "codecBps");
        Map<MediaType, Long> types = new EnumMap<>(MediaType.class);
        mediaTypeBps.forEach((k, v) -> types.put(Objects.requireNonNull(k, "media type"), positive("media-types." + k, v)));
        Map<String, Long> codecs = new LinkedHashMap<>();
        codecBps.forEach((k, v) -> codecs.put(Objects.requireNonNull(k, "codec").toLowerCase(Locale.ROOT),
                positive("codecs." + k, v)));
        mediaTypeBps = Map.copyOf(types);
        codecBps = Map.copyOf(codecs);
        positive("fallback", fallbackBps);
    }

    private static long positive(String key, Long v) {
        if (v == null || v < 1) {
            throw new IllegalArgumentException("media defaults: " + key + " = " + v + " bit/s; a default must be >= 1 bit/s");
        }
        return v;
    }

    /**
     * The built-in defaults. Media types: audio 64 kbit/s and video 128 kbit/s (Kamailio ims_qos's
     * {@code audio_default_bandwidth} and {@code video_default_bandwidth}, so a call gets the same
     * figures with or without the Rx bandwidth AVPs), application 256 kbit/s, text 4 kbit/s,
     * control (SIP signalling) 16 kbit/s, others 64 kbit/s. Codecs: the IP-level rate at 20 ms
     * packets over IPv4 (16 kbit/s of IP/UDP/RTP headers at 50 packets/s added to the codec rate).
     * Always the same instance: the defaults are immutable, and built once.
     */
    public static MediaDefaults builtIn() {
        return BUILT_IN;
    }

    private static final MediaDefaults BUILT_IN = createBuiltIn();

    private static MediaDefaults createBuiltIn() {
        Map<MediaType, Long> types = new EnumMap<>(MediaType.class);
        types.put(MediaType.AUDIO, 64_000L);
        types.put(MediaType.VIDEO, 128_000L);
        types.put(MediaType.APPLICATION, 256_000L);
        types.put(MediaType.TEXT, 4_000L);
        types.put(MediaType.CONTROL, 16_000L);
        Map<String, Long> codecs = new LinkedHashMap<>();
        codecs.put("pcmu", 80_000L);
        codecs.put("pcma", 80_000L);
        codecs.put("g722", 80_000L);
        codecs.put("g729", 24_000L);
        codecs.put("g723", 17_000L);
        codecs.put("gsm", 29_200L);
        codecs.put("ilbc", 31_200L);
        codecs.put("amr", 29_000L);
        codecs.put("amr-wb", 41_000L);
        codecs.put("evs", 41_000L);
        codecs.put("opus", 64_000L);
        return new MediaDefaults(types, codecs, 64_000L);
    }

    /**
     * A chosen default.
     *
     * @param bps the bandwidth
     * @param basis where it came from, for explanations ({@code default for codec pcmu})
     */
    public record Choice(long bps, String basis) {}

    /** The default for a flow: by codec (may be {@code null}), else by media type, else the fallback. */
    public Choice choose(MediaType type, String codec) {
        if (codec != null) {
            Long c = codecBps.get(codec.toLowerCase(Locale.ROOT));
            if (c != null) {
                return new Choice(c, "default for codec " + codec.toLowerCase(Locale.ROOT));
            }
        }
        Long t = type == null ? null : mediaTypeBps.get(type);
        if (t != null) {
            return new Choice(t, "default for " + type.name().toLowerCase(Locale.ROOT));
        }
        return new Choice(fallbackBps, "fallback default");
    }

    /** The same defaults with one codec set. */
    public MediaDefaults withCodec(String codec, long bps) {
        Map<String, Long> codecs = new LinkedHashMap<>(codecBps);
        codecs.put(codec.toLowerCase(Locale.ROOT), bps);
        return new MediaDefaults(mediaTypeBps, codecs, fallbackBps);
    }

    /** The same defaults with one media type set. */
    public MediaDefaults withMediaType(MediaType type, long bps) {
        Map<MediaType, Long> types = new EnumMap<>(MediaType.class);
        types.putAll(mediaTypeBps);
        types.put(type, bps);
        return new MediaDefaults(types, codecBps, fallbackBps);
    }
}
