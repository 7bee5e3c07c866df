package org.arbiter.adapter.pcmm.cops;

/** The Error-Code of the COPS Error object (RFC 2748 §2.2.8). */
public enum CopsErrorCode {
    BAD_HANDLE(1, "Bad handle"),
    INVALID_HANDLE_REFERENCE(2, "Invalid handle reference"),
    BAD_MESSAGE_FORMAT(3, "Bad message format (Malformed Message)"),
    UNABLE_TO_PROCESS(4, "Unable to process"),
    MANDATORY_CLIENT_SI_MISSING(5, "Mandatory client-specific info missing"),
    UNSUPPORTED_CLIENT(6, "Unsupported client"),
    MANDATORY_OBJECT_MISSING(7, "Mandatory COPS object missing"),
    CLIENT_FAILURE(8, "Client Failure"),
    COMMUNICATION_FAILURE(9, "Communication Failure"),
    UNSPECIFIED(10, "Unspecified"),
    SHUTTING_DOWN(11, "Shutting down"),
    REDIRECT_TO_PREFERRED_SERVER(12, "Redirect to Preferred Server"),
    UNKNOWN_COPS_OBJECT(13, "Unknown COPS Object"),
    AUTHENTICATION_FAILURE(14, "Authentication Failure"),
    AUTHENTICATION_REQUIRED(15, "Authentication Required");

    private final int code;
    private final String text;

    CopsErrorCode(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** The name RFC 2748 gives the code. */
    public String text() {
        return text;
    }

    /** "code (text)" for any code, known or not. */
    public static String describe(int code) {
        return code >= 1 && code <= 15 ? code + " (" + values()[code - 1].text + ")" : code + " (unknown)";
    }
}
