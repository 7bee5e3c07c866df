package org.arbiter.policy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Checks a policy directory without running it: the same validation a load or a reload does
 * (YAML syntax, schema, CEL compile and type errors, undefined classes and groups, unreachable
 * rules, a missing default), reporting every error with its file, line and column.
 *
 * <p>Stateless and thread-safe. Never throws for bad files; an unreadable directory is an error in
 * the result.
 */
public final class PolicyValidator {

    private PolicyValidator() {}

    /**
     * The result of a check.
     *
     * @param directory the directory checked
     * @param errors every error found; empty when the policy is valid
     * @param contentHash the content hash the set would have as its version, or {@code null} when invalid
     * @param summary files, classes, groups, rules and time zone of a valid set, or {@code null}
     */
    public record Validation(Path directory, List<PolicyError> errors, String contentHash, String summary) {

        public Validation {
            Objects.requireNonNull(directory, "directory");
            errors = List.copyOf(errors);
        }

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** Validates every policy file in the directory. */
    public static Validation check(Path dir) {
        PolicyParser.Result r = PolicyParser.load(dir, Instant.now());
        if (!r.ok()) {
            return new Validation(dir, r.errors(), null, null);
        }
        return new Validation(dir, List.of(), r.set().contentHash(), r.set().summary());
    }
}
