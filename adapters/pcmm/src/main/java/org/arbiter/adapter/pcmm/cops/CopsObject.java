package org.arbiter.adapter.pcmm.cops;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A COPS object (RFC 2748 §2.2): a 4-byte header (Length, C-Num, C-Type) and its contents, padded
 * on the wire to a 32-bit boundary. The Length counts header and contents, not the padding.
 *
 * <p>The objects are immutable values; byte-array components are copied in and compared by
 * content. Objects the PDP never interprets (IN-Int, OUT-Int, LPDP Decision, PDP Redirect Address,
 * Last PDP Address, Integrity) travel as {@link Carried} bytes.
 */
public sealed interface CopsObject {

    /** The object header: Length (2), C-Num (1), C-Type (1). */
    int HEADER_LENGTH = 4;

    /** The largest contents a 16-bit Length allows. */
    int MAX_CONTENT_LENGTH = 0xFFFF - HEADER_LENGTH;

    int cNum();

    int cType();

    /** The length of the contents, without header and padding. */
    int contentLength();

    /** Writes the contents (no header, no padding). */
    void encodeContents(ByteBuf out);

    /** Header, contents and padding: what the object takes in a message. */
    default int encodedLength() {
        return padded(HEADER_LENGTH + contentLength());
    }

    /** {@code n} rounded up to a multiple of 4. */
    static int padded(int n) {
        return (n + 3) & ~3;
    }

    // C-Num values (RFC 2748 §2.2)
    int C_HANDLE = 1;
    int C_CONTEXT = 2;
    int C_IN_INT = 3;
    int C_OUT_INT = 4;
    int C_REASON = 5;
    int C_DECISION = 6;
    int C_LPDP_DECISION = 7;
    int C_ERROR = 8;
    int C_CLIENT_SI = 9;
    int C_KA_TIMER = 10;
    int C_PEPID = 11;
    int C_REPORT_TYPE = 12;
    int C_PDP_REDIRECT_ADDRESS = 13;
    int C_LAST_PDP_ADDRESS = 14;
    int C_ACCT_TIMER = 15;
    int C_INTEGRITY = 16;

    /**
     * Handle (C-Num 1, C-Type 1 Client Handle): identifies a request state. PacketCable Multimedia
     * uses one handle per COPS connection, chosen by the CMTS in its REQ.
     */
    record Handle(byte[] value) implements CopsObject {
        public Handle {
            Objects.requireNonNull(value, "value");
            if (value.length == 0 || value.length > MAX_CONTENT_LENGTH) {
                throw new CopsException("Handle must be 1.." + MAX_CONTENT_LENGTH + " bytes, was " + value.length);
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public int cNum() {
            return C_HANDLE;
        }

        @Override
        public int cType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return value.length;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeBytes(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Handle h && Arrays.equals(value, h.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Handle[" + HexFormat.of().formatHex(value) + "]";
        }
    }

    /**
     * Context (C-Num 2, C-Type 1): R-Type, the request type flag, and M-Type, the client message
     * type.
     */
    record Context(int rType, int mType) implements CopsObject {
        /** R-Type Incoming-Message/Admission Control request. */
        public static final int INCOMING_MESSAGE = 0x01;
        /** R-Type Resource-Allocation request. */
        public static final int RESOURCE_ALLOCATION = 0x02;
        /** R-Type Outgoing-Message request. */
        public static final int OUTGOING_MESSAGE = 0x04;
        /** R-Type Configuration request: the only one PacketCable Multimedia uses. */
        public static final int CONFIGURATION = 0x08;

        public Context {
            CopsException.u16("Context R-Type", rType);
            CopsException.u16("Context M-Type", mType);
        }

        @Override
        public int cNum() {
            return C_CONTEXT;
        }

        @Override
        public int cType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(rType).writeShort(mType);
        }
    }

    /** Reason (C-Num 5, C-Type 1): why a request state was deleted (DRQ). */
    record Reason(int code, int subcode) implements CopsObject {
        public Reason {
            CopsException.u16("Reason-Code", code);
            CopsException.u16("Reason Sub-code", subcode);
        }

        @Override
        public int cNum() {
            return C_REASON;
        }

        @Override
        public int cType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(code).writeShort(subcode);
        }
    }

    /** Decision (C-Num 6, C-Type 1 Decision Flags): the Command-Code and its flags. */
    record DecisionFlags(Command command, int flags) implements CopsObject {
        /** Flag: Trigger Error (RFC 2748 §2.2.6). */
        public static final int TRIGGER_ERROR = 0x01;

        /** The Command-Code. */
        public enum Command {
            NULL_DECISION, INSTALL, REMOVE;

            public int code() {
                return ordinal();
            }
        }

        public DecisionFlags {
            Objects.requireNonNull(command, "command");
            CopsException.u16("Decision flags", flags);
        }

        @Override
        public int cNum() {
            return C_DECISION;
        }

        @Override
        public int cType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(command.code()).writeShort(flags);
        }
    }

    /**
     * Decision (C-Num 6) with data: C-Type 2 Stateless Data, 3 Replacement Data, 4 Client Specific
     * Decision Data (where PacketCable Multimedia puts its objects), 5 Named Decision Data.
     */
    record DecisionData(int cType, byte[] data) implements CopsObject {
        /** C-Type Client Specific Decision Data. */
        public static final int CLIENT_SPECIFIC = 4;

        public DecisionData {
            CopsException.range("Decision C-Type", cType, 2, 5);
            Objects.requireNonNull(data, "data");
            if (data.length > MAX_CONTENT_LENGTH) {
                throw new CopsException("Decision data must be at most " + MAX_CONTENT_LENGTH + " bytes, was " + data.length);
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int cNum() {
            return C_DECISION;
        }

        @Override
        public int contentLength() {
            return data.length;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeBytes(data);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DecisionData d && cType == d.cType && Arrays.equals(data, d.data);
        }

        @Override
        public int hashCode() {
            return 31 * cType + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "DecisionData[cType=" + cType + ", " + data.length + " bytes]";
        }
    }

    /** Error (C-Num 8, C-Type 1): an Error-Code ({@link CopsErrorCode}) and its sub-code. */
    record ErrorObject(int code, int subcode) implements CopsObject {
        public ErrorObject {
            CopsException.u16("Error-Code", code);
            CopsException.u16("Error Sub-code", subcode);
        }

        public ErrorObject(CopsErrorCode code, int subcode) {
            this(code.code(), subcode);
        }

        @Override
        public int cNum() {
            return C_ERROR;
        }

        @Override
        public int cType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(code).writeShort(subcode);
        }

        @Override
        public String toString() {
            return "Error[" + CopsErrorCode.describe(code) + ", sub-code 0x" + Integer.toHexString(subcode) + "]";
        }
    }

    /**
     * Client Specific Information (C-Num 9): C-Type 1 Signaled ClientSI (where PacketCable
     * Multimedia puts its objects in RPT and OPN), C-Type 2 Named ClientSI.
     */
    record ClientSI(int cType, byte[] data) implements CopsObject {
        /** C-Type Signaled ClientSI. */
        public static final int SIGNALED = 1;

        public ClientSI {
            CopsException.range("ClientSI C-Type", cType, 1, 2);
            Objects.requireNonNull(data, "data");
            if (data.length > MAX_CONTENT_LENGTH) {
                throw new CopsException("ClientSI data must be at most " + MAX_CONTENT_LENGTH + " bytes, was " + data.length);
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int cNum() {
            return C_CLIENT_SI;
        }

        @Override
        public int contentLength() {
            return data.length;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeBytes(data);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ClientSI c && cType == c.cType && Arrays.equals(data, c.data);
        }

        @Override
        public int hashCode() {
            return 31 * cType + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "ClientSI[cType=" + cType + ", " + data.length + " bytes]";
        }
    }

    /** Keep-Alive Timer (C-Num 10, C-Type 1): seconds, 0 meaning infinity. */
    record KaTimer(int seconds) implements CopsObject {
        public KaTimer {
            CopsException.u16("KA Timer", seconds);
        }

        @Override
        public int cNum() {
            return C_KA_TIMER;
        }

        @Override
        public int cType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(0).writeShort(seconds);
        }
    }

    /** PEP Identification (C-Num 11, C-Type 1): a NUL-terminated ASCII string. */
    record PepId(String id) implements CopsObject {
        public PepId {
            Objects.requireNonNull(id, "id");
            if (id.isEmpty() || id.length() > MAX_CONTENT_LENGTH - 1 || !id.chars().allMatch(c -> c > 0x1F && c < 0x7F)) {
                throw new CopsException("PEPID must be 1.." + (MAX_CONTENT_LENGTH - 1) + " printable ASCII characters, was '" + id + "'");
            }
        }

        @Override
        public int cNum() {
            return C_PEPID;
        }

        @Override
        public int cType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return id.length() + 1;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeBytes(id.getBytes(StandardCharsets.US_ASCII)).writeByte(0);
        }
    }

    /** Report-Type (C-Num 12, C-Type 1). */
    record ReportType(Kind kind) implements CopsObject {
        /** The Report-Type values. */
        public enum Kind {
            /** 1: Success, the decision was successful at the PEP. */
            SUCCESS(1),
            /** 2: Failure, the decision could not be completed by the PEP. */
            FAILURE(2),
            /** 3: Accounting, an accounting update for an installed state. */
            ACCOUNTING(3);

            private final int code;

            Kind(int code) {
                this.code = code;
            }

            public int code() {
                return code;
            }

            /** The kind for {@code code}, or {@code null}. */
            public static Kind of(int code) {
                return code >= 1 && code <= 3 ? values()[code - 1] : null;
            }
        }

        public ReportType {
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public int cNum() {
            return C_REPORT_TYPE;
        }

        @Override
        public int cType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(kind.code()).writeShort(0);
        }
    }

    /** Accounting Timer (C-Num 15, C-Type 1): seconds, 0 meaning no unsolicited accounting updates. */
    record AcctTimer(int seconds) implements CopsObject {
        public AcctTimer {
            CopsException.u16("Accounting Timer", seconds);
        }

        @Override
        public int cNum() {
            return C_ACCT_TIMER;
        }

        @Override
        public int cType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(0).writeShort(seconds);
        }
    }

    /**
     * An object the PDP carries without interpreting: IN-Int and OUT-Int (C-Num 3, 4), LPDP
     * Decision (7), PDP Redirect Address (13), Last PDP Address (14) and Integrity (16).
     */
    record Carried(int cNum, int cType, byte[] data) implements CopsObject {
        public Carried {
            if (cNum != C_IN_INT && cNum != C_OUT_INT && cNum != C_LPDP_DECISION && cNum != C_PDP_REDIRECT_ADDRESS
                    && cNum != C_LAST_PDP_ADDRESS && cNum != C_INTEGRITY) {
                throw new CopsException("C-Num " + cNum + " has its own object type or is unknown");
            }
            CopsException.u8("C-Type", cType);
            Objects.requireNonNull(data, "data");
            if (data.length > MAX_CONTENT_LENGTH) {
                throw new CopsException("object contents must be at most " + MAX_CONTENT_LENGTH + " bytes, was " + data.length);
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int contentLength() {
            return data.length;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeBytes(data);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Carried c && cNum == c.cNum && cType == c.cType && Arrays.equals(data, c.data);
        }

        @Override
        public int hashCode() {
            return (31 * cNum + cType) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Carried[cNum=" + cNum + ", cType=" + cType + ", " + HexFormat.of().formatHex(data) + "]";
        }
    }
}
