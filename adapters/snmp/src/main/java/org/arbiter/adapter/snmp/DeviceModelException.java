package org.arbiter.adapter.snmp;

/**
 * A device model file that cannot be used. The message starts with {@code file:line:column:} where
 * the position is known, then the key path inside the file, the value and what is allowed.
 */
final class DeviceModelException extends RuntimeException {

    private final String source;
    private final int line;

    DeviceModelException(String source, int line, int column, String message) {
        super(source + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + message);
        this.source = source;
        this.line = line;
    }

    DeviceModelException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
        this.line = 0;
    }

    /** The file or class path resource. */
    String source() {
        return source;
    }

    /** The 1-based line of the problem, or 0 when it concerns the whole file. */
    int line() {
        return line;
    }
}
