package org.arbiter.adapter.pcmm.mm;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.arbiter.adapter.pcmm.cops.CopsException;

/**
 * A PacketCable Multimedia object (PKT-SP-MM, "PacketCable Multimedia specific objects"): a 4-byte
 * header (Length, S-Num, S-Type) and its contents. Unlike COPS objects, the Length includes the
 * padding to a 32-bit boundary, so {@link #contentLength()} is always a multiple of 4. These objects
 * travel inside the COPS Decision (C-Type 4, Client Specific Decision Data) of a DEC and the COPS
 * ClientSI (C-Type 1) of a RPT or OPN.
 *
 * <p>The layouts are those of PKT-SP-MM-I05 and later (Wireshark's COPS dissector decodes the same
 * layouts). Values are checked when a record is built ({@link CopsException}); byte arrays are copied
 * and compared by content.
 */
public sealed interface PcmmObject permits PcmmObject.TransactionId, PcmmObject.Amid, PcmmObject.SubscriberId,
        PcmmObject.GateId, GateSpec, Classifier, TrafficProfile, PcmmObject.EventGenerationInfo,
        PcmmObject.VolumeBasedUsageLimit, PcmmObject.TimeBasedUsageLimit, PcmmObject.OpaqueData, PcmmObject.GateTimeInfo,
        PcmmObject.GateUsageInfo, PcmmObject.PacketCableError, PcmmObject.GateState, PcmmObject.VersionInfo, PcmmObject.Psid,
        PcmmObject.SynchOptions, PcmmObject.MsgReceiptKey, PcmmObject.UserId, PcmmObject.SharedResourceId {

    /** The object header: Length (2), S-Num (1), S-Type (1). */
    int HEADER_LENGTH = 4;

    /** The largest contents a 16-bit Length allows, kept to a multiple of 4. */
    int MAX_CONTENT_LENGTH = 0xFFFC - HEADER_LENGTH;

    // S-Num values
    int S_TRANSACTION_ID = 1;
    int S_AMID = 2;
    int S_SUBSCRIBER_ID = 3;
    int S_GATE_ID = 4;
    int S_GATE_SPEC = 5;
    int S_CLASSIFIER = 6;
    int S_TRAFFIC_PROFILE = 7;
    int S_EVENT_GENERATION_INFO = 8;
    int S_VOLUME_BASED_USAGE_LIMIT = 9;
    int S_TIME_BASED_USAGE_LIMIT = 10;
    int S_OPAQUE_DATA = 11;
    int S_GATE_TIME_INFO = 12;
    int S_GATE_USAGE_INFO = 13;
    int S_PACKETCABLE_ERROR = 14;
    int S_GATE_STATE = 15;
    int S_VERSION_INFO = 16;
    int S_PSID = 17;
    int S_SYNCH_OPTIONS = 18;
    int S_MSG_RECEIPT_KEY = 19;
    int S_USER_ID = 20;
    int S_SHARED_RESOURCE_ID = 21;

    int sNum();

    int sType();

    /** The contents length, padding included (a multiple of 4). */
    int contentLength();

    /** Writes the contents and their padding (no header). */
    void encodeContents(ByteBuf out);

    /** Header and contents. */
    default int encodedLength() {
        return HEADER_LENGTH + contentLength();
    }

    /** S-Num (high octet) and S-Type (low octet), the sub-code of PacketCable Errors 6 and 7. */
    default int sNumSType() {
        return sNum() << 8 | sType();
    }

    /** TransactionID (S-Num 1): a token that matches answers to requests, and the Gate Command Type. */
    record TransactionId(int id, GateCommand command) implements PcmmObject {
        public TransactionId {
            CopsException.range("TransactionID", id, 0, 0xFFFF);
            Objects.requireNonNull(command, "command");
        }

        @Override
        public int sNum() {
            return S_TRANSACTION_ID;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(id).writeShort(command.code());
        }
    }

    /** AMID (S-Num 2): Application Type and Application Manager Tag. */
    record Amid(int applicationType, int managerTag) implements PcmmObject {
        public Amid {
            CopsException.range("AMID Application Type", applicationType, 0, 0xFFFF);
            CopsException.range("AMID Application Manager Tag", managerTag, 0, 0xFFFF);
        }

        /** The 32-bit AMID, Application Type in the high half. */
        public long value() {
            return (long) applicationType << 16 | managerTag;
        }

        @Override
        public int sNum() {
            return S_AMID;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(applicationType).writeShort(managerTag);
        }
    }

    /** SubscriberID (S-Num 3): the subscriber's IPv4 (S-Type 1) or IPv6 (S-Type 2) address. */
    record SubscriberId(InetAddress address) implements PcmmObject {
        public SubscriberId {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public int sNum() {
            return S_SUBSCRIBER_ID;
        }

        @Override
        public int sType() {
            return address instanceof Inet4Address ? 1 : 2;
        }

        @Override
        public int contentLength() {
            return address.getAddress().length;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeBytes(address.getAddress());
        }
    }

    /** GateID (S-Num 4): the CMTS's 32-bit handle of a gate. */
    record GateId(long id) implements PcmmObject {
        public GateId {
            CopsException.u32("GateID", id);
        }

        @Override
        public int sNum() {
            return S_GATE_ID;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeInt((int) id);
        }

        @Override
        public String toString() {
            return "GateId[0x" + Long.toHexString(id) + "]";
        }
    }

    /**
     * Event Generation Info (S-Num 8): the record keeping servers and the Billing Correlation ID
     * (timestamp, element ID, time zone, event counter).
     */
    record EventGenerationInfo(Inet4Address primaryRks, int primaryRksPort, Inet4Address secondaryRks, int secondaryRksPort,
            long bcidTimestamp, String bcidElementId, String bcidTimeZone, long bcidEventCounter) implements PcmmObject {
        public EventGenerationInfo {
            Objects.requireNonNull(primaryRks, "primaryRks");
            Objects.requireNonNull(secondaryRks, "secondaryRks");
            CopsException.range("PRKS port", primaryRksPort, 0, 0xFFFF);
            CopsException.range("SRKS port", secondaryRksPort, 0, 0xFFFF);
            CopsException.u32("BCID timestamp", bcidTimestamp);
            CopsException.u32("BCID event counter", bcidEventCounter);
            ascii("BCID element ID", bcidElementId, 8);
            ascii("BCID time zone", bcidTimeZone, 8);
        }

        @Override
        public int sNum() {
            return S_EVENT_GENERATION_INFO;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 40;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeBytes(primaryRks.getAddress()).writeShort(primaryRksPort).writeShort(0);
            out.writeBytes(secondaryRks.getAddress()).writeShort(secondaryRksPort).writeShort(0);
            out.writeInt((int) bcidTimestamp);
            writeFixed(out, bcidElementId, 8);
            writeFixed(out, bcidTimeZone, 8);
            out.writeInt((int) bcidEventCounter);
        }
    }

    /** Volume-Based Usage Limit (S-Num 9): kilobytes. */
    record VolumeBasedUsageLimit(long kilobytes) implements PcmmObject {
        public VolumeBasedUsageLimit {
            if (kilobytes < 0) {
                throw new CopsException("Volume-Based Usage Limit must not be negative, was " + kilobytes);
            }
        }

        @Override
        public int sNum() {
            return S_VOLUME_BASED_USAGE_LIMIT;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 8;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeLong(kilobytes);
        }
    }

    /** Time-Based Usage Limit (S-Num 10): seconds. */
    record TimeBasedUsageLimit(long seconds) implements PcmmObject {
        public TimeBasedUsageLimit {
            CopsException.u32("Time-Based Usage Limit", seconds);
        }

        @Override
        public int sNum() {
            return S_TIME_BASED_USAGE_LIMIT;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeInt((int) seconds);
        }
    }

    /**
     * Opaque Data (S-Num 11): bytes the application manager stores with the gate and the CMTS
     * returns unchanged in Gate-Info and complete Synch reports. The wire form is padded with zero
     * bytes to a multiple of 4, and the padding cannot be told from the data: give the data a length
     * of its own when it matters.
     */
    record OpaqueData(byte[] data) implements PcmmObject {
        public OpaqueData {
            Objects.requireNonNull(data, "data");
            if (data.length == 0 || data.length > MAX_CONTENT_LENGTH) {
                throw new CopsException("Opaque Data must be 1.." + MAX_CONTENT_LENGTH + " bytes, was " + data.length);
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int sNum() {
            return S_OPAQUE_DATA;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return padded(data.length);
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeBytes(data).writeZero(padded(data.length) - data.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OpaqueData d && Arrays.equals(data, d.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "OpaqueData[" + HexFormat.of().formatHex(data) + "]";
        }
    }

    /** Gate Time Info (S-Num 12): seconds the gate has been committed. */
    record GateTimeInfo(long seconds) implements PcmmObject {
        public GateTimeInfo {
            CopsException.u32("Gate Time Info", seconds);
        }

        @Override
        public int sNum() {
            return S_GATE_TIME_INFO;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeInt((int) seconds);
        }
    }

    /** Gate Usage Info (S-Num 13): octets carried by the gate's service flow. */
    record GateUsageInfo(long octets) implements PcmmObject {
        public GateUsageInfo {
            if (octets < 0) {
                throw new CopsException("Gate Usage Info must not be negative, was " + octets);
            }
        }

        @Override
        public int sNum() {
            return S_GATE_USAGE_INFO;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 8;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeLong(octets);
        }
    }

    /** PacketCable Error (S-Num 14): Error-Code ({@link PcmmErrorCode}) and Error-Subcode. */
    record PacketCableError(int code, int subcode) implements PcmmObject {
        public PacketCableError {
            CopsException.range("PacketCable Error-Code", code, 0, 0xFFFF);
            CopsException.range("PacketCable Error-Subcode", subcode, 0, 0xFFFF);
        }

        public PacketCableError(PcmmErrorCode code, int subcode) {
            this(code.code(), subcode);
        }

        @Override
        public int sNum() {
            return S_PACKETCABLE_ERROR;
        }

        @Override
        public int sType() {
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
            return "PacketCableError[" + PcmmErrorCode.describe(code) + ", subcode 0x" + Integer.toHexString(subcode) + "]";
        }
    }

    /** Gate State (S-Num 15): the gate's state and the reason of the last change ({@link GateStateValue.Reason}). */
    record GateState(GateStateValue state, int reason) implements PcmmObject {
        public GateState {
            Objects.requireNonNull(state, "state");
            CopsException.range("Gate State reason", reason, 0, 0xFFFF);
        }

        @Override
        public int sNum() {
            return S_GATE_STATE;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(state.code()).writeShort(reason);
        }
    }

    /** Version Info (S-Num 16): the PacketCable Multimedia version a CMTS speaks, in its OPN. */
    record VersionInfo(int major, int minor) implements PcmmObject {
        public VersionInfo {
            CopsException.range("Version Info major", major, 0, 0xFFFF);
            CopsException.range("Version Info minor", minor, 0, 0xFFFF);
        }

        @Override
        public int sNum() {
            return S_VERSION_INFO;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(major).writeShort(minor);
        }
    }

    /** PSID (S-Num 17): the physical stream of a multicast gate. */
    record Psid(long value) implements PcmmObject {
        public Psid {
            CopsException.u32("PSID", value);
        }

        @Override
        public int sNum() {
            return S_PSID;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeInt((int) value);
        }
    }

    /** Synch Options (S-Num 18): what a Synch-Request asks for. */
    record SynchOptions(int reportType, int synchType) implements PcmmObject {
        /** Report Type: standard report data (GateID, SubscriberID, state). */
        public static final int STANDARD_REPORT_DATA = 0;
        /** Report Type: complete gate data (as a Gate-Info-Ack: spec, profile, classifiers, Opaque Data). */
        public static final int COMPLETE_GATE_DATA = 1;
        /** Synch Type: full synchronization. */
        public static final int FULL_SYNCHRONIZATION = 0;
        /** Synch Type: incremental synchronization. */
        public static final int INCREMENTAL_SYNCHRONIZATION = 1;

        public SynchOptions {
            CopsException.range("Synch Options report type", reportType, 0, 1);
            CopsException.range("Synch Options synch type", synchType, 0, 1);
        }

        @Override
        public int sNum() {
            return S_SYNCH_OPTIONS;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeShort(0).writeByte(reportType).writeByte(synchType);
        }
    }

    /** Msg Receipt Key (S-Num 19). */
    record MsgReceiptKey(long value) implements PcmmObject {
        public MsgReceiptKey {
            CopsException.u32("Msg Receipt Key", value);
        }

        @Override
        public int sNum() {
            return S_MSG_RECEIPT_KEY;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeInt((int) value);
        }
    }

    /** UserID (S-Num 20): an ASCII user name, padded with NUL bytes. */
    record UserId(String name) implements PcmmObject {
        public UserId {
            ascii("UserID", name, 255);
            if (name.isEmpty()) {
                throw new CopsException("UserID must not be empty");
            }
        }

        @Override
        public int sNum() {
            return S_USER_ID;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return padded(name.length());
        }

        @Override
        public void encodeContents(ByteBuf out) {
            writeFixed(out, name, contentLength());
        }
    }

    /** SharedResourceID (S-Num 21). */
    record SharedResourceId(long value) implements PcmmObject {
        public SharedResourceId {
            CopsException.u32("SharedResourceID", value);
        }

        @Override
        public int sNum() {
            return S_SHARED_RESOURCE_ID;
        }

        @Override
        public int sType() {
            return 1;
        }

        @Override
        public int contentLength() {
            return 4;
        }

        @Override
        public void encodeContents(ByteBuf out) {
            out.writeInt((int) value);
        }
    }

    /** {@code n} rounded up to a multiple of 4. */
    static int padded(int n) {
        return (n + 3) & ~3;
    }

    private static void ascii(String field, String s, int maxLength) {
        Objects.requireNonNull(s, field);
        if (s.length() > maxLength || !s.chars().allMatch(c -> c > 0x1F && c < 0x7F)) {
            throw new CopsException(field + " must be at most " + maxLength + " printable ASCII characters, was '" + s + "'");
        }
    }

    private static void writeFixed(ByteBuf out, String s, int width) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(b).writeZero(width - b.length);
    }
}
