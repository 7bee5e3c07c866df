package org.arbiter.policy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.arbiter.core.policy.Decision;
import org.arbiter.core.policy.FlowGrant;

/**
 * The operator commands {@code arbiter policy check DIR} and {@code arbiter policy test DIR
 * --request FILE [--json]}, independent of the command-line library that calls them.
 *
 * <p>Exit codes: {@link #OK} when the policy is valid (check) or a decision was made (test,
 * whatever its verdict); {@link #INVALID_POLICY} with the policy errors, one
 * {@code file:line:column: message} per line, on the error stream; {@link #INVALID_REQUEST} when
 * the request file of {@code test} is wrong. Stateless and thread-safe.
 */
public final class PolicyTool {

    public static final int OK = 0;
    public static final int INVALID_POLICY = 1;
    public static final int INVALID_REQUEST = 2;

    private PolicyTool() {}

    /** Validates the directory: one summary line and exit 0, or every error and exit 1. */
    public static int check(Path dir, PrintWriter out, PrintWriter err) {
        PolicyValidator.Validation v = PolicyValidator.check(dir);
        if (!v.ok()) {
            printErrors(v.errors(), err);
            err.println(dir + ": policy invalid, " + v.errors().size() + (v.errors().size() == 1 ? " error" : " errors"));
            err.flush();
            return INVALID_POLICY;
        }
        out.println(dir + ": policy valid, version " + v.contentHash() + ": " + v.summary());
        out.flush();
        return OK;
    }

    /** Decides the request in the file against the policy and prints the decision and its trace. */
    public static int test(Path dir, Path request, boolean json, PrintWriter out, PrintWriter err) {
        PolicyParser.Result policy = PolicyParser.load(dir, Instant.now());
        if (!policy.ok()) {
            printErrors(policy.errors(), err);
            err.println(dir + ": policy invalid, " + policy.errors().size() + (policy.errors().size() == 1 ? " error" : " errors"));
            err.flush();
            return INVALID_POLICY;
        }
        TestRequest.Parsed parsed = TestRequest.read(request);
        if (parsed.request() == null) {
            printErrors(parsed.errors(), err);
            err.println(request + ": request invalid (the format is in docs/policy.md)");
            err.flush();
            return INVALID_REQUEST;
        }
        Decision d = policy.set().decide(parsed.request());
        if (json) {
            out.println(json(d));
        } else {
            text(d, out);
        }
        out.flush();
        return OK;
    }

    private static void printErrors(List<PolicyError> errors, PrintWriter err) {
        for (PolicyError e : errors) {
            err.println(e);
        }
    }

    private static void text(Decision d, PrintWriter out) {
        out.println("decision: " + d.verdict() + (d.rejectCode() == null ? "" : " " + d.rejectCode() + " (" + d.rejectCode().code() + ")")
                + " by " + PolicySet.label(d.ruleId())
                + ", policy " + d.policyVersion() + (d.enforce() ? "" : ", without enforcement"));
        out.println("reason:   " + d.reason());
        if (!d.grants().isEmpty()) {
            out.println("grants:");
            for (FlowGrant g : d.grants()) {
                out.printf("  flow %-5s %-12s UL %-7s DL %-7s latency %-7s DSCP %-2d QCI %-3s priority %d%s%n", g.key(),
                        g.sessionClass(), Bandwidth.format(g.uplinkBps()), Bandwidth.format(g.downlinkBps()),
                        g.maxLatencyMs() == null ? "-" : g.maxLatencyMs() + " ms", g.dscp(), g.qci() == null ? "-" : g.qci(),
                        g.priority(), g.modified() ? "  (modified)" : "");
            }
        }
        out.println("trace:");
        for (String line : d.trace()) {
            out.println("  " + line);
        }
    }

    /** The decision as one JSON object; the field names are documented in docs/policy.md. */
    static String json(Decision d) {
        StringBuilder sb = new StringBuilder("{");
        field(sb, "verdict", d.verdict().name()).append(',');
        sb.append("\"reject_code\":");
        if (d.rejectCode() == null) {
            sb.append("null");
        } else {
            sb.append('{');
            field(sb, "name", d.rejectCode().name()).append(",\"code\":").append(d.rejectCode().code())
                    .append(",\"vendor_id\":").append(d.rejectCode().vendorId()).append('}');
        }
        sb.append(',');
        field(sb, "reason", d.reason()).append(',');
        field(sb, "policy_version", d.policyVersion()).append(',');
        field(sb, "rule_id", d.ruleId()).append(',');
        sb.append("\"enforce\":").append(d.enforce()).append(",\"grants\":[");
        for (int i = 0; i < d.grants().size(); i++) {
            FlowGrant g = d.grants().get(i);
            sb.append(i == 0 ? "{" : ",{");
            field(sb, "flow", g.key().toString()).append(",\"media_component\":").append(g.key().mediaComponent())
                    .append(",\"flow_number\":").append(g.key().flow()).append(',');
            field(sb, "class", g.sessionClass()).append(",\"uplink_bps\":").append(g.uplinkBps())
                    .append(",\"downlink_bps\":").append(g.downlinkBps())
                    .append(",\"max_latency_ms\":").append(g.maxLatencyMs())
                    .append(",\"dscp\":").append(g.dscp()).append(",\"qci\":").append(g.qci())
                    .append(",\"priority\":").append(g.priority()).append(",\"modified\":").append(g.modified()).append('}');
        }
        sb.append("],\"trace\":[");
        for (int i = 0; i < d.trace().size(); i++) {
            sb.append(i == 0 ? "" : ",");
            string(sb, d.trace().get(i));
        }
        return sb.append("]}").toString();
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        sb.append('"').append(name).append("\":");
        if (value == null) {
            return sb.append("null");
        }
        string(sb, value);
        return sb;
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
