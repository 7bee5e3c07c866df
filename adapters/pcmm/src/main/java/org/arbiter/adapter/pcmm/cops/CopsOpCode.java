package org.arbiter.adapter.pcmm.cops;

/** The Op Code of the COPS common header (RFC 2748 §2.1). */
public enum CopsOpCode {
    /** Request (PEP to PDP). */
    REQ(1),
    /** Decision (PDP to PEP). */
    DEC(2),
    /** Report State (PEP to PDP). */
    RPT(3),
    /** Delete Request State (PEP to PDP). */
    DRQ(4),
    /** Synchronize State Request (PDP to PEP). */
    SSQ(5),
    /** Client-Open (PEP to PDP). */
    OPN(6),
    /** Client-Accept (PDP to PEP). */
    CAT(7),
    /** Client-Close (either way). */
    CC(8),
    /** Keep-Alive (PEP sends, PDP echoes). */
    KA(9),
    /** Synchronize Complete (PEP to PDP). */
    SSC(10);

    private final int code;

    CopsOpCode(int code) {
        this.code = code;
    }

    /** The code on the wire. */
    public int code() {
        return code;
    }

    /** The op-code for {@code code}, or {@code null} when RFC 2748 defines none. */
    public static CopsOpCode of(int code) {
        return code >= 1 && code <= 10 ? values()[code - 1] : null;
    }
}
