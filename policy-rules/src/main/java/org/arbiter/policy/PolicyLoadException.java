package org.arbiter.policy;

import java.util.List;

/**
 * A policy set could not be loaded. It carries every error found, not just the first; nothing of
 * the set was applied.
 */
public final class PolicyLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<PolicyError> errors;

    public PolicyLoadException(String directory, List<PolicyError> errors) {
        super(message(directory, errors));
        this.errors = List.copyOf(errors);
    }

    /** Every error found, in file order. */
    public List<PolicyError> errors() {
        return errors;
    }

    private static String message(String directory, List<PolicyError> errors) {
        StringBuilder sb = new StringBuilder("policy in ").append(directory).append(" is invalid (")
                .append(errors.size()).append(errors.size() == 1 ? " error)" : " errors)");
        for (PolicyError e : errors) {
            sb.append(System.lineSeparator()).append("  ").append(e);
        }
        return sb.toString();
    }
}
