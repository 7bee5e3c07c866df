package org.arbiter.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        private final StringBuilder sb = new StringBuilder(512);
        private boolean first = true;

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

        long num() {
            String r = raw();
            try {
                return Long.parseLong(r);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("field " + field + " is not a number: '" + r + "'");
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

        Instant time() {
            String s = raw();
            String n = raw();
            if (s.equals(NULL) && n.equals(NULL)) {
                return null;
            }
            try {
                return Instant.ofEpochSecond(Long.parseLong(s), Long.parseLong(n));
            } catch (NumberFormatException | java.time.DateTimeException e) {
                throw new IllegalArgumentException("field " + field + " is not a time: '" + s + "' '" + n + "'");
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

        /** Fails unless every field was read. */
        void end() {
            if (pos <= text.length()) {
                throw new IllegalArgumentException("record has more than " + field + " fields");
            }
        }
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
        Verdict verdict = in.name(Verdict.class);
        ResultCode reject = in.name(ResultCode.class);
        String reason = in.str();
        String version = in.str();
        String rule = in.str();
        boolean enforce = in.bool();
        int traces = in.count("trace lines");
        List<String> trace = new ArrayList<>(traces);
        for (int i = 0; i < traces; i++) {
            trace.add(in.str());
        }
        int n = in.count("grants");
        List<FlowGrant> grants = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            grants.add(new FlowGrant(new FlowKey((int) in.num(), (int) in.num()), in.str(), in.num(), in.num(),
                    in.optInt(), (int) in.num(), in.optInt(), (int) in.num(), in.bool()));
        }
        return new Decision(verdict, grants, reject, reason, version, rule, trace, enforce);
    }

    static void request(Out o, AdmissionRequest r) {
        o.str(r.sessionId()).str(r.originHost()).str(r.subscriber()).str(r.chargingId()).time(r.now())
                .time(r.reservedUntil()).time(r.authorizedUntil());
        decision(o, r.decision());
        o.num(r.holds().size());
        for (HoldRequest h : r.holds()) {
            AccessPath p = h.path();
            o.num(h.flow().mediaComponent()).num(h.flow().flow()).name(h.direction()).str(p.address())
                    .str(p.prefix() == null ? null : p.prefix().toString()).num(p.hops().size());
            for (PathHop hop : p.hops()) {
                o.str(hop.poolId()).str(hop.deviceId());
            }
            o.num(h.bandwidthBps()).num(h.dscp()).optInt(h.maxLatencyMs());
        }
    }

    static AdmissionRequest request(In in) {
        String sessionId = in.str();
        String originHost = in.str();
        String subscriber = in.str();
        String chargingId = in.str();
        Instant now = in.time();
        Instant reservedUntil = in.time();
        Instant authorizedUntil = in.time();
        Decision decision = decision(in);
        int n = in.count("holds");
        List<HoldRequest> holds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            FlowKey flow = new FlowKey((int) in.num(), (int) in.num());
            Direction direction = in.name(Direction.class);
            String address = in.str();
            String prefix = in.str();
            int hopCount = in.count("hops");
            List<PathHop> hops = new ArrayList<>(hopCount);
            for (int k = 0; k < hopCount; k++) {
                hops.add(new PathHop(in.str(), in.str()));
            }
            AccessPath path = new AccessPath(address, prefix == null ? null : IpPrefix.parse(prefix), hops);
            holds.add(new HoldRequest(flow, direction, path, in.num(), (int) in.num(), in.optInt()));
        }
        return new AdmissionRequest(sessionId, originHost, subscriber, chargingId, decision, holds, now, reservedUntil,
                authorizedUntil);
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
        String recordId = in.str();
        String sessionId = in.str();
        String chargingId = in.str();
        String subscriber = in.str();
        String originHost = in.str();
        Instant started = in.time();
        Instant committed = in.time();
        Instant stopped = in.time();
        int n = in.count("charged flows");
        List<ChargingRecord.ChargedFlow> flows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            flows.add(new ChargingRecord.ChargedFlow(new FlowKey((int) in.num(), (int) in.num()),
                    in.name(Direction.class), in.str(), in.str(), in.num(), (int) in.num(), in.optInt()));
        }
        boolean modified = in.bool();
        String version = in.str();
        String rule = in.str();
        TerminationCause cause = in.name(TerminationCause.class);
        ChargingRecord.Kind kind = in.name(ChargingRecord.Kind.class);
        int sequence = (int) in.num();
        return new ChargingRecord(recordId, sessionId, chargingId, subscriber, originHost, started, committed, stopped,
                flows, modified, version, rule, cause, kind, sequence);
    }
}
