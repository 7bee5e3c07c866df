package org.arbiter.adapter.snmp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.qos.Direction;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.Variable;

/**
 * How reservations map onto the rows of one kind of device: the row index derived from the
 * reservation id, and for each conceptual table (RFC 2579 RowStatus tables sharing that index) the
 * columns and the value each takes from the reservation. Read from a model file by
 * {@link DeviceModelReader}; immutable and thread-safe.
 *
 * <p>Exactly one column holds the reservation id ({@code value: id}), so that the device itself
 * says which rows are ours and which reservation each belongs to.
 *
 * @param name the model name (the file name without {@code .yaml})
 * @param source where the model was read from, for messages
 * @param description free text
 * @param index how the row index is derived
 * @param tables the tables a reservation writes one row in, in file order
 */
record DeviceModel(String name, String source, String description, RowIndex index, List<Table> tables) {

    /** RowStatus values (RFC 2579). */
    static final int ACTIVE = 1;
    static final int NOT_IN_SERVICE = 2;
    static final int CREATE_AND_GO = 4;
    static final int CREATE_AND_WAIT = 5;
    static final int DESTROY = 6;

    DeviceModel {
        tables = List.copyOf(tables);
    }

    /** The table holding the reservation id column. */
    Table idTable() {
        return tables.stream().filter(t -> t.idColumn() != null).findFirst().orElseThrow();
    }

    /** The column holding the reservation id. */
    Column idColumn() {
        return idTable().idColumn();
    }

    /**
     * How the row index is derived from the reservation id. Slot {@code attempt} (0 first) is tried
     * when earlier slots hold other reservations.
     *
     * @param kind {@code NAME}: an SnmpAdminString {@code prefix + base32(hash)} of {@code length}
     *     characters, length-prefixed unless {@code implied}; {@code HASH31}: one sub-identifier in
     *     1..2147483647
     * @param prefix the name prefix (NAME only)
     * @param length the name length (NAME only)
     * @param implied whether the name is IMPLIED (no length sub-identifier)
     * @param probe how many slots are tried
     */
    record RowIndex(Kind kind, String prefix, int length, boolean implied, int probe) {

        enum Kind { NAME, HASH31 }

        private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

        /** The index sub-identifiers of slot {@code attempt} for the reservation id. */
        OID slot(String reservationId, int attempt) {
            byte[] h = sha256(reservationId);
            if (kind == Kind.HASH31) {
                long base = ((h[0] & 0x7fL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
                return new OID(new int[] {(int) ((base + attempt) % Integer.MAX_VALUE) + 1});
            }
            byte[] hn = attempt == 0 ? h : sha256(reservationId + "#" + attempt);
            StringBuilder name = new StringBuilder(prefix);
            long bits = 0;
            int have = 0;
            int next = 0;
            while (name.length() < length) {
                if (have < 5) {
                    bits = (bits << 8) | (hn[next++ % hn.length] & 0xff);
                    have += 8;
                }
                name.append(BASE32[(int) ((bits >>> (have - 5)) & 31)]);
                have -= 5;
            }
            OID oid = new OID();
            if (!implied) {
                oid.append(name.length());
            }
            name.chars().forEach(oid::append);
            return oid;
        }

        private static byte[] sha256(String s) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks SHA-256", e);
            }
        }
    }

    /**
     * One conceptual table: the row of a reservation is {@code entry.column.index}.
     *
     * @param name the table's MIB name
     * @param entry the entry OID
     * @param rowStatus the RowStatus column
     * @param createAndWait create with createAndWait(5), then set active(1) in a second SET,
     *     instead of one createAndGo(4) SET
     * @param columns the columns written, in file order
     */
    record Table(String name, OID entry, int rowStatus, boolean createAndWait, List<Column> columns) {
        Table {
            columns = List.copyOf(columns);
        }

        OID oid(int column, OID index) {
            return new OID(entry).append(column).append(index);
        }

        OID rowStatusOid(OID index) {
            return oid(rowStatus, index);
        }

        Column idColumn() {
            return columns.stream().filter(c -> c.source() == Source.ID).findFirst().orElse(null);
        }
    }

    /** The SMI syntax a column is written with. */
    enum Syntax {
        /** Integer32 (and enumerations). */
        INTEGER("integer", Integer.MIN_VALUE, Integer.MAX_VALUE),
        /** Unsigned32 / Gauge32. */
        UNSIGNED("unsigned", 0, 4294967295L),
        /** OCTET STRING holding UTF-8 text (DisplayString, SnmpAdminString). */
        STRING("string", 0, 0),
        /** OCTET STRING holding bytes (InetAddress, bit masks). */
        OCTETS("octets", 0, 0),
        /** IpAddress (IPv4 only). */
        IP_ADDRESS("ip-address", 0, 0);

        final String fileName;
        final long min;
        final long max;

        Syntax(String fileName, long min, long max) {
            this.fileName = fileName;
            this.min = min;
            this.max = max;
        }

        boolean numeric() {
            return this == INTEGER || this == UNSIGNED;
        }
    }

    /** Where a column's value comes from. */
    enum Source {
        CONSTANT("const"),
        ID("id"),
        SESSION_ID("session-id"),
        POOL_ID("pool-id"),
        ADDRESS("address"),
        ADDRESS_OCTETS("address-octets"),
        ADDRESS_TYPE("address-type"),
        ADDRESS_PREFIX_LENGTH("address-prefix-length"),
        RATE_BPS("rate-bps"),
        RATE_KBPS("rate-kbps"),
        BURST_BYTES("burst-bytes"),
        DSCP("dscp"),
        LATENCY_MS("latency-ms"),
        LATENCY_US("latency-us"),
        DIRECTION("direction");

        final String fileName;

        Source(String fileName) {
            this.fileName = fileName;
        }

        boolean text() {
            return this == ID || this == SESSION_ID || this == POOL_ID || this == ADDRESS;
        }

        boolean nullable() {
            return this == LATENCY_MS || this == LATENCY_US || this == SESSION_ID || this == POOL_ID;
        }
    }

    /** A value that cannot be written, with the reason. */
    static final class Unencodable extends Exception {
        Unencodable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * One column of a table.
     *
     * @param name the column's MIB name
     * @param number the column sub-identifier
     * @param syntax how it is written
     * @param source where the value comes from
     * @param constant the value for {@link Source#CONSTANT}: a Long, a String or a byte[]
     * @param map the values of {@link Source#DIRECTION}, per direction
     * @param ifAbsent the value written when a nullable source is absent
     * @param min the smallest number allowed
     * @param max the largest number allowed
     * @param maxLength the longest string allowed, in octets
     * @param compare whether a difference on the device makes the row be rewritten
     */
    record Column(String name, int number, Syntax syntax, Source source, Object constant,
            Map<Direction, Long> map, Object ifAbsent, long min, long max, int maxLength, boolean compare) {

        Column {
            Objects.requireNonNull(name, "name");
            map = map == null ? Map.of() : Map.copyOf(new EnumMap<>(map));
        }

        /** The value this column takes for the reservation. */
        Variable encode(DeviceReservation r) throws Unencodable {
            Object raw = raw(r);
            if (raw == null) {
                raw = ifAbsent;
            }
            if (raw == null) {
                throw new Unencodable(name + ": the reservation has no " + source.fileName);
            }
            return switch (syntax) {
                case INTEGER, UNSIGNED -> {
                    long v = (Long) raw;
                    if (v < min || v > max) {
                        throw new Unencodable(name + ": " + source.fileName + " " + v + " is outside [" + min + ", " + max + "]");
                    }
                    yield syntax == Syntax.INTEGER ? new Integer32((int) v) : new Gauge32(v);
                }
                case STRING -> octets(raw instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) raw);
                case OCTETS -> octets(raw instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) raw);
                case IP_ADDRESS -> {
                    byte[] b = (byte[]) raw;
                    if (b.length != 4) {
                        throw new Unencodable(name + ": IpAddress holds IPv4 only, the subscriber is " + r.subscriberAddress());
                    }
                    yield new IpAddress(b);
                }
            };
        }

        private OctetString octets(byte[] b) throws Unencodable {
            if (b.length > maxLength) {
                throw new Unencodable(name + ": " + source.fileName + " is " + b.length + " octets, more than " + maxLength);
            }
            return new OctetString(b);
        }

        /** A Long, a String or a byte[]; null when the reservation has no such value. */
        private Object raw(DeviceReservation r) throws Unencodable {
            return switch (source) {
                case CONSTANT -> constant;
                case ID -> r.id();
                case SESSION_ID -> r.sessionId();
                case POOL_ID -> r.poolId();
                case ADDRESS -> r.subscriberAddress();
                case ADDRESS_OCTETS -> addressBytes(r.subscriberAddress());
                case ADDRESS_TYPE -> addressBytes(r.subscriberAddress()).length == 4 ? 1L : 2L;
                case ADDRESS_PREFIX_LENGTH -> addressBytes(r.subscriberAddress()).length == 4 ? 32L : 128L;
                case RATE_BPS -> r.rateBps();
                case RATE_KBPS -> (r.rateBps() + 999) / 1000;
                case BURST_BYTES -> r.burstBytes();
                case DSCP -> (long) r.dscp();
                case LATENCY_MS -> r.maxLatencyMs() == null ? null : r.maxLatencyMs().longValue();
                case LATENCY_US -> r.maxLatencyMs() == null ? null : r.maxLatencyMs() * 1000L;
                case DIRECTION -> map.get(r.direction());
            };
        }

        /** Whether the device's value equals the one this column would write. */
        static boolean same(Variable device, Variable wanted) {
            if (device == null || device.isException()) {
                return false;
            }
            if (wanted instanceof OctetString || wanted instanceof IpAddress) {
                return wanted.equals(device);
            }
            return device.getSyntax() == wanted.getSyntax() && device.toLong() == wanted.toLong();
        }

        /** The device's value as a number, or null when it is not one. */
        static Long number(Variable v) {
            if (v == null || v.isException()) {
                return null;
            }
            return switch (v.getSyntax()) {
                case SMIConstants.SYNTAX_INTEGER, SMIConstants.SYNTAX_GAUGE32, SMIConstants.SYNTAX_COUNTER32,
                        SMIConstants.SYNTAX_TIMETICKS -> v.toLong();
                default -> null;
            };
        }

        /** The device's value as text, or null when it is not an OCTET STRING. */
        static String text(Variable v) {
            return v instanceof OctetString s ? new String(s.getValue(), StandardCharsets.UTF_8) : null;
        }
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    /** The octets of an IPv4 or IPv6 literal; never a name lookup. */
    static byte[] addressBytes(String literal) throws Unencodable {
        if (literal == null || !(IPV4.matcher(literal).matches() || literal.indexOf(':') >= 0 && IPV6.matcher(literal).matches())) {
            throw new Unencodable("subscriber address '" + literal + "' is not an IPv4 or IPv6 literal");
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new Unencodable("subscriber address '" + literal + "' is not an IPv4 or IPv6 literal");
        }
    }

    /** The literal of 4 or 16 octets, or null. */
    static String addressText(byte[] b) {
        if (b == null || b.length != 4 && b.length != 16) {
            return null;
        }
        try {
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
