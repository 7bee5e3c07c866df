package org.arbiter.core.archfixture;

/**
 * A deliberately misplaced class: it sits in core's package space but reaches out to the server.
 * {@code ArchitectureTest} proves the layering rules catch it.
 */
public final class WrongWay {
    private WrongWay() {}

    public static String reachOut() {
        return org.arbiter.server.config.ConfigLoader.class.getName();
    }
}
