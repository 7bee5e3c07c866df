package org.arbiter.diameter;

/**
 * The Diameter front end could not start (a port is taken, a TLS file is unreadable) or could not
 * send a request. The message carries the state; the cause is chained.
 */
public final class DiameterException extends RuntimeException {

    public DiameterException(String message) {
        super(message);
    }

    public DiameterException(String message, Throwable cause) {
        super(message, cause);
    }
}
