package org.arbiter.adapter.netconf;

/**
 * A device model file that cannot be used. The message names the file, the key inside it and what
 * is wrong (for templates also the line within the template), e.g.
 * {@code models/acme.yaml: install: line 3, column 9: ...}.
 */
final class DeviceModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DeviceModelException(String message) {
        super(message);
    }

    DeviceModelException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What is wrong with one part, before the reader adds where it is. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message);
        }
    }
}
