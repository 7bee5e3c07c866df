package org.arbiter.core.qos;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.arbiter.core.session.MediaType;

/**
 * Maps a flow's session class ({@code a=qos-class}) and media type to a {@link TrafficClass}:
 * the session class when the table knows it, else the class of the media type, else
 * {@link #defaultClass()}. Policy may replace or add entries; {@link #builtIn()} holds the defaults
 * that {@code docs/sdp-qos.md} justifies. Immutable and thread-safe.
 *
 * @param classes traffic class per session class name (lower case)
 * @param mediaTypeClasses the session class of each media type that has one
 * @param defaultClass the class of everything else; must be in {@code classes}
 * @throws IllegalArgumentException when a media type or the default names a class the table does
 *     not define, or a class name is blank (the message names the entry and lists the classes)
 */
public record TreatmentTable(Map<String, TrafficClass> classes, Map<MediaType, String> mediaTypeClasses,
                             String defaultClass) {

    public static final String VOICE = "voice";
    public static final String VIDEO = "video";
    public static final String FPS_GAME = "fps-game";
    public static final String GAME = "game";
    public static final String STREAMING = "streaming";
    public static final String SIGNALLING = "signalling";
    public static final String BEST_EFFORT = "best-effort";

    public TreatmentTable {
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(mediaTypeClasses, "mediaTypeClasses");
        Objects.requireNonNull(defaultClass, "defaultClass");
        Map<String, TrafficClass> c = new LinkedHashMap<>();
        classes.forEach((k, v) -> {
            if (k == null || k.isBlank()) {
                throw new IllegalArgumentException("treatments.classes: a class name must not be blank");
            }
            c.put(k.toLowerCase(Locale.ROOT), Objects.requireNonNull(v, "treatments.classes." + k));
        });
        Map<MediaType, String> m = new EnumMap<>(MediaType.class);
        mediaTypeClasses.forEach((k, v) -> {
            String cls = Objects.requireNonNull(v, "treatments.media-types." + k).toLowerCase(Locale.ROOT);
            if (!c.containsKey(cls)) {
                throw new IllegalArgumentException("treatments.media-types." + k.name().toLowerCase(Locale.ROOT)
                        + " = '" + v + "' is not a class of the table " + c.keySet());
            }
            m.put(k, cls);
        });
        defaultClass = defaultClass.toLowerCase(Locale.ROOT);
        if (!c.containsKey(defaultClass)) {
            throw new IllegalArgumentException("treatments.default = '" + defaultClass + "' is not a class of the table "
                    + c.keySet());
        }
        classes = Collections.unmodifiableMap(c);
        mediaTypeClasses = Collections.unmodifiableMap(m);
    }

    /**
     * The built-in table. Session classes: voice EF/QCI 1, video AF41/QCI 2, fps-game,
     * fps-game-raw and game CS4/QCI 3, streaming AF31/QCI 4, signalling CS5/QCI 5, best-effort
     * BE/QCI 9; the priority is the QCI's priority level. Media types: audio is voice, video is
     * video, control is signalling; the default is best-effort.
     */
    public static TreatmentTable builtIn() {
        Map<String, TrafficClass> c = new LinkedHashMap<>();
        c.put(VOICE, new TrafficClass(46, 1, 2));
        c.put(VIDEO, new TrafficClass(34, 2, 4));
        c.put(FPS_GAME, new TrafficClass(32, 3, 3));
        c.put("fps-game-raw", new TrafficClass(32, 3, 3));
        c.put(GAME, new TrafficClass(32, 3, 3));
        c.put(STREAMING, new TrafficClass(26, 4, 5));
        c.put(SIGNALLING, new TrafficClass(40, 5, 1));
        c.put(BEST_EFFORT, new TrafficClass(0, 9, 9));
        Map<MediaType, String> m = new EnumMap<>(MediaType.class);
        m.put(MediaType.AUDIO, VOICE);
        m.put(MediaType.VIDEO, VIDEO);
        m.put(MediaType.CONTROL, SIGNALLING);
        return new TreatmentTable(c, m, BEST_EFFORT);
    }

    /**
     * A classification.
     *
     * @param sessionClass the class name that matched
     * @param trafficClass its treatment
     * @param basis why: {@code qos-class fps-game}, {@code media type audio} or {@code default}
     */
    public record Match(String sessionClass, TrafficClass trafficClass, String basis) {}

    /** Classifies a flow; {@code sessionClass} and {@code mediaType} may be {@code null}. */
    public Match classify(String sessionClass, MediaType mediaType) {
        String asked = sessionClass == null ? null : sessionClass.toLowerCase(Locale.ROOT);
        if (asked != null && classes.containsKey(asked)) {
            return new Match(asked, classes.get(asked), "qos-class " + asked);
        }
        String unknown = asked == null ? "" : " (qos-class " + asked + " is not in the table)";
        String byType = mediaType == null ? null : mediaTypeClasses.get(mediaType);
        if (byType != null) {
            return new Match(byType, classes.get(byType),
                    "media type " + mediaType.name().toLowerCase(Locale.ROOT) + unknown);
        }
        return new Match(defaultClass, classes.get(defaultClass), "default" + unknown);
    }

    /** The same table with one class set. */
    public TreatmentTable withClass(String name, TrafficClass trafficClass) {
        Map<String, TrafficClass> c = new LinkedHashMap<>(classes);
        c.put(name.toLowerCase(Locale.ROOT), trafficClass);
        return new TreatmentTable(c, mediaTypeClasses, defaultClass);
    }

    /** The same table with a media type mapped to a class it defines. */
    public TreatmentTable withMediaType(MediaType type, String sessionClass) {
        Map<MediaType, String> m = new EnumMap<>(MediaType.class);
        m.putAll(mediaTypeClasses);
        m.put(type, sessionClass);
        return new TreatmentTable(classes, m, defaultClass);
    }
}
