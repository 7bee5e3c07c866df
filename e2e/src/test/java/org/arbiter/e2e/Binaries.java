package org.arbiter.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the peer programs the end-to-end tests run. A missing one fails the test with what to
 * install: CI installs the Debian packages, and a test that silently skipped would hide it.
 */
final class Binaries {

    private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin", "/sbin", "/bin");

    private Binaries() {}

    /** The executable {@code name} on the PATH or in the system directories. */
    static Path require(String name, String debianPackage) {
        return find(name).orElseThrow(() -> new AssertionError("'" + name + "' was not found on PATH or in " + SYSTEM_DIRS
                + ": the end-to-end tests need the Debian package " + debianPackage + " (CI installs it; see docs/e2e.md)"));
    }

    /** The directory of Kamailio's modules (the one holding ims_qos.so). */
    static Path kamailioModules() {
        List<Path> candidates = new ArrayList<>();
        for (String base : List.of("/usr/lib", "/usr/lib64", "/usr/local/lib", "/usr/local/lib64")) {
            Path dir = Path.of(base);
            candidates.add(dir.resolve("kamailio/modules"));
            try (var children = Files.list(dir)) {
                children.filter(p -> p.getFileName().toString().endsWith("-linux-gnu"))
                        .forEach(p -> candidates.add(p.resolve("kamailio/modules")));
            } catch (java.io.IOException | SecurityException e) {
                // a base directory that does not exist offers no candidates
            }
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p.resolve("ims_qos.so"))).findFirst()
                .orElseThrow(() -> new AssertionError("Kamailio's ims_qos.so was not found in any of " + candidates
                        + ": the end-to-end tests need the Debian packages kamailio and kamailio-ims-modules"
                        + " (CI installs them; see docs/e2e.md)"));
    }

    private static Optional<Path> find(String name) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(SYSTEM_DIRS);
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }
}
