package org.arbiter.policy;

import java.util.Objects;

/**
 * One problem found in a policy set: where it is and what was expected there.
 *
 * <p>{@link #toString()} gives the conventional {@code file:line:column: message} form that editors
 * and CI logs link to.
 *
 * @param file the policy file (as given to the loader, or the directory for set-wide problems)
 * @param line 1-based line
 * @param column 1-based column
 * @param message what is wrong and what is allowed, naming the key path
 */
public record PolicyError(String file, int line, int column, String message) {

    public PolicyError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
