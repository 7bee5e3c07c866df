package org.arbiter.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.arbiter.core.ledger.AccessPath;
import org.arbiter.core.ledger.AdmissionRequest;
import org.arbiter.core.ledger.ChargingRecord;
import org.arbiter.core.ledger.HoldRequest;
import org.arbiter.core.ledger.IpPrefix;
import org.arbiter.core.ledger.PathHop;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;
import org.arbiter.core.policy.Verdict;
import org.arbiter.core.qos.Direction;
import org.arbiter.core.qos.FlowKey;
import org.arbiter.core.session.ResultCode;
import org.arbiter.core.session.TerminationCause;

/**
 * The text form of journal records: fields separated by U+001F (unit separator), each field
 * escaped so that it never contains the separator ({@code \\} for a backslash, {@code \s} for
 * the separator, {@code \N} alone for null). Times are two fields, epoch seconds and nanoseconds,
 * so that a replay sees exactly the instants the ledger saw.
 *
 * <p>A malformed record fails with {@link IllegalArgumentException} naming the field; the journal
 * ledger then refuses to open rather than rebuild a different state.
 */
final class JournalCodec {

    static final char SEP = '\u001f';
    private static final String NULL = "\\N";

    private JournalCodec() {}

    /** Builds one record. */
    static final class Out {
        /** The largest builder {@link #reset} keeps, in characters: a larger one (a huge row) is dropped. */
        static final int KEPT = 64 * 1024;

        private StringBuilder sb;
        private boolean first = true;

        /** Sized for an admission's fields, the longest frequent row, so that it rarely grows. */
        Out() {
            this(2048);
        }

        /** For a row of about {@code capacity} characters. */
        Out(int capacity) {
            sb = new StringBuilder(capacity);
        }

        private void sep() {
            if (!first) {
                sb.append(SEP);
            }
            first = false;
        }

        Out str(String s) {
            sep();
            if (s == null) {
                sb.append(NULL);
                return this;
            }
            if (s.indexOf('\\') < 0 && s.indexOf(SEP) < 0) {
                sb.append(s);
                return this;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\') {
                    sb.append("\\\\");
                } else if (c == SEP) {
                    sb.append("\\s");
                } else {
                    sb.append(c);
                }
            }
            return this;
        }

        /** Appends fields another {@link Out} encoded ({@link JournalCodec#fields}), as they are. */
        Out fields(String encoded) {
            sep();
            sb.append(encoded);
            return this;
        }

        Out num(long n) {
            sep();
            sb.append(n);
            return this;
        }

        Out optInt(Integer n) {
            return n == null ? str(null) : num(n);
        }

        Out bool(boolean b) {
            sep();
            sb.append(b ? '1' : '0');
            return this;
        }

        Out time(Instant t) {
            if (t == null) {
                return str(null).str(null);
            }
            return num(t.getEpochSecond()).num(t.getNano());
        }

        Out name(Enum<?> e) {
            return str(e == null ? null : e.name());
        }

        /** Empties the record for the next one (the journal writer keeps one). */
        Out reset() {
            if (sb.capacity() > KEPT) {
                sb = new StringBuilder(2048);
            }
            sb.setLength(0);
            first = true;
            return this;
        }

        /** The record so far, without a copy: valid until this record changes. */
        CharSequence text() {
            return sb;
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }

    /** Reads one record field by field. */
    static final class In {
        private final String text;
        private int pos;
        private int field;

        In(String text) {
            this.text = text;
        }

        private String raw() {
            if (pos > text.length()) {
                throw new IllegalArgumentException("record ends before field " + (field + 1));
            }
            int end = text.indexOf(SEP, pos);
            if (end < 0) {
                end = text.length();
            }
            String r = text.substring(pos, end);
            pos = end + 1;
            field++;
            return r;
        }

        String str() {
            String r = raw();
            if (r.equals(NULL)) {
                return null;
            }
            if (r.indexOf('\\') < 0) {
                return r;
            }
            StringBuilder sb = new StringBuilder(r.length());
            for (int i = 0; i < r.length(); i++) {
                char c = r.charAt(i);
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (++i >= r.length()) {
                    throw new IllegalArgumentException("field " + field + " ends inside an escape");
                }
                char e = r.charAt(i);
                if (e == '\\') {
                    sb.append('\\');
                } else if (e == 's') {
                    sb.append(SEP);
                } else {
                    throw new IllegalArgumentException("field " + field + " has the unknown escape \\" + e);
                }
            }
            return sb.toString();
        }

        /** A string that must not be null. */
        String req() {
            String s = str();
            if (s == null) {
                throw new IllegalArgumentException("field " + field + " is null where a value is required");
            }
            return s;
        }

        long num() {
            String r = raw();
            try {
                return Long.parseLong(r);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("field " + field + " is not a number: '" + r + "'");
            }
        }

        /** A number that fits an {@code int}. */
        int integer() {
            String r = raw();
            try {
                return Integer.parseInt(r);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("field " + field + " is not an integer: '" + r + "'");
            }
        }

        int count(String what) {
            long n = num();
            if (n < 0 || n > 100_000) {
                throw new IllegalArgumentException("field " + field + ": " + n + " " + what + " is out of range");
            }
            return (int) n;
        }

        Integer optInt() {
            String r = raw();
            if (r.equals(NULL)) {
                return null;
            }
            try {
                return Integer.valueOf(r);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("field " + field + " is not an integer: '" + r + "'");
            }
        }

        boolean bool() {
            String r = raw();
            if (r.equals("1")) {
                return true;
            }
            if (r.equals("0")) {
                return false;
            }
            throw new IllegalArgumentException("field " + field + " is not 0 or 1: '" + r + "'");
        }

        /** A time (two fields), or {@code null} when both are null. */
        Instant time() {
            return time(false);
        }

        /** A time that must not be null. */
        Instant reqTime() {
            return time(true);
        }

        private Instant time(boolean required) {
            String s = raw();
            int secondsField = field;
            String n = raw();
            if (s.equals(NULL) && n.equals(NULL)) {
                if (required) {
                    throw new IllegalArgumentException("field " + secondsField + " is null where a time is required");
                }
                return null;
            }
            long seconds;
            try {
                seconds = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("field " + secondsField + " is not a time's epoch seconds: '" + s + "'");
            }
            long nanos;
            try {
                nanos = Long.parseLong(n);
            } catch (NumberFormatException e) {
                nanos = -1;
            }
            if (nanos < 0 || nanos > 999_999_999) {
                throw new IllegalArgumentException("field " + field + " is not a time's nanoseconds (0..999999999): '"
                        + n + "'");
            }
            try {
                return Instant.ofEpochSecond(seconds, nanos);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("field " + secondsField + " is not a time: '" + s + "' '" + n + "'");
            }
        }

        <E extends Enum<E>> E name(Class<E> type) {
            String r = str();
            if (r == null) {
                return null;
            }
            try {
                return Enum.valueOf(type, r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("field " + field + ": '" + r + "' is not a " + type.getSimpleName());
            }
        }

        /** An enum constant that must not be null. */
        <E extends Enum<E>> E reqName(Class<E> type) {
            E e = name(type);
            if (e == null) {
                throw new IllegalArgumentException("field " + field + " is null where a " + type.getSimpleName()
                        + " is required");
            }
            return e;
        }

        /** An IP prefix, or {@code null}. */
        IpPrefix prefix() {
            String r = str();
            if (r == null) {
                return null;
            }
            try {
                return IpPrefix.parse(r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("field " + field + ": " + e.getMessage());
            }
        }

        /**
         * Builds a value from the fields read so far; a value its constructor refuses fails as a
         * malformed record, naming the last field read.
         */
        <T> T build(Supplier<T> value) {
            try {
                return value.get();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("field " + field + ": the record's values are refused: "
                        + e.getMessage());
            }
        }

        /** True while fields remain to be read. */
        boolean more() {
            return pos <= text.length();
        }

        /** Fails unless every field was read. */
        void end() {
            if (more()) {
                throw new IllegalArgumentException("record has more than " + field + " fields");
            }
        }
    }

    /** The fields {@code write} puts into an empty record, for {@link Out#fields}. */
    static String fields(java.util.function.Consumer<Out> write) {
        Out o = new Out();
        write.accept(o);
        return o.toString();
    }

    // ---- values

    static void decision(Out o, Decision d) {
        o.name(d.verdict()).name(d.rejectCode()).str(d.reason()).str(d.policyVersion()).str(d.ruleId())
                .bool(d.enforce()).num(d.trace().size());
        for (String t : d.trace()) {
            o.str(t);
        }
        o.num(d.grants().size());
        for (FlowGrant g : d.grants()) {
            o.num(g.key().mediaComponent()).num(g.key().flow()).str(g.sessionClass()).num(g.uplinkBps())
                    .num(g.downlinkBps()).optInt(g.maxLatencyMs()).num(g.dscp()).optInt(g.qci()).num(g.priority())
                    .bool(g.modified());
        }
    }

    static Decision decision(In in) {
        Verdict verdict = in.reqName(Verdict.class);
        ResultCode reject = in.name(ResultCode.class);
        String reason = in.str();
        String version = in.req();
        String rule = in.req();
        boolean enforce = in.bool();
        int traces = in.count("trace lines");
        List<String> trace = new ArrayList<>(traces);
        for (int i = 0; i < traces; i++) {
            trace.add(in.req());
        }
        int n = in.count("grants");
        List<FlowGrant> grants = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            FlowKey key = new FlowKey(in.integer(), in.integer());
            String sessionClass = in.str();
            long ul = in.num();
            long dl = in.num();
            Integer maxLatency = in.optInt();
            int dscp = in.integer();
            Integer qci = in.optInt();
            int priority = in.integer();
            boolean modified = in.bool();
            grants.add(in.build(() -> new FlowGrant(key, sessionClass, ul, dl, maxLatency, dscp, qci, priority, modified)));
        }
        return in.build(() -> new Decision(verdict, grants, reject, reason, version, rule, trace, enforce));
    }

    static void request(Out o, AdmissionRequest r) {
        o.str(r.sessionId()).str(r.originHost()).str(r.subscriber()).str(r.chargingId()).time(r.now())
                .time(r.reservedUntil()).time(r.authorizedUntil());
        decision(o, r.decision());
        o.num(r.holds().size());
        // the flows of one party share its path: its prefix is written as text once
        IpPrefix lastPrefix = null;
        String lastPrefixText = null;
        for (HoldRequest h : r.holds()) {
            AccessPath p = h.path();
            if (p.prefix() != lastPrefix) {
                lastPrefix = p.prefix();
                lastPrefixText = lastPrefix == null ? null : lastPrefix.toString();
            }
            o.num(h.flow().mediaComponent()).num(h.flow().flow()).name(h.direction()).str(p.address())
                    .str(lastPrefixText).num(p.hops().size());
            for (PathHop hop : p.hops()) {
                o.str(hop.poolId()).str(hop.deviceId());
            }
            o.num(h.bandwidthBps()).num(h.dscp()).optInt(h.maxLatencyMs());
        }
    }

    static AdmissionRequest request(In in) {
        String sessionId = in.req();
        String originHost = in.str();
        String subscriber = in.str();
        String chargingId = in.str();
        Instant now = in.reqTime();
        Instant reservedUntil = in.reqTime();
        Instant authorizedUntil = in.reqTime();
        Decision decision = decision(in);
        int n = in.count("holds");
        List<HoldRequest> holds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            FlowKey flow = new FlowKey(in.integer(), in.integer());
            Direction direction = in.reqName(Direction.class);
            String address = in.req();
            IpPrefix prefix = in.prefix();
            int hopCount = in.count("hops");
            List<PathHop> hops = new ArrayList<>(hopCount);
            for (int k = 0; k < hopCount; k++) {
                String pool = in.req();
                String device = in.str();
                hops.add(new PathHop(pool, device));
            }
            AccessPath path = in.build(() -> new AccessPath(address, prefix, hops));
            long bps = in.num();
            int dscp = in.integer();
            Integer maxLatency = in.optInt();
            holds.add(in.build(() -> new HoldRequest(flow, direction, path, bps, dscp, maxLatency)));
        }
        return in.build(() -> new AdmissionRequest(sessionId, originHost, subscriber, chargingId, decision, holds, now,
                reservedUntil, authorizedUntil));
    }

    static void record(Out o, ChargingRecord c) {
        o.str(c.recordId()).str(c.sessionId()).str(c.chargingId()).str(c.subscriber()).str(c.originHost())
                .time(c.startedAt()).time(c.committedAt()).time(c.stoppedAt()).num(c.flows().size());
        for (ChargingRecord.ChargedFlow f : c.flows()) {
            o.num(f.flow().mediaComponent()).num(f.flow().flow()).name(f.direction()).str(f.partyAddress())
                    .str(f.poolId()).num(f.bandwidthBps()).num(f.dscp()).optInt(f.maxLatencyMs());
        }
        o.bool(c.modified()).str(c.policyVersion()).str(c.ruleId()).name(c.cause()).name(c.kind()).num(c.sequence());
    }

    static ChargingRecord record(In in) {
        String recordId = in.req();
        String sessionId = in.req();
        String chargingId = in.str();
        String subscriber = in.str();
        String originHost = in.str();
        Instant started = in.time();
        Instant committed = in.time();
        Instant stopped = in.time();
        int n = in.count("charged flows");
        List<ChargingRecord.ChargedFlow> flows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            FlowKey flow = new FlowKey(in.integer(), in.integer());
            Direction direction = in.reqName(Direction.class);
            String party = in.str();
            String pool = in.str();
            long bps = in.num();
            int dscp = in.integer();
            Integer maxLatency = in.optInt();
            flows.add(new ChargingRecord.ChargedFlow(flow, direction, party, pool, bps, dscp, maxLatency));
        }
        boolean modified = in.bool();
        String version = in.str();
        String rule = in.str();
        TerminationCause cause = in.name(TerminationCause.class);
        ChargingRecord.Kind kind = in.reqName(ChargingRecord.Kind.class);
        int sequence = in.integer();
        return in.build(() -> new ChargingRecord(recordId, sessionId, chargingId, subscriber, originHost, started,
                committed, stopped, flows, modified, version, rule, cause, kind, sequence));
    }
}
