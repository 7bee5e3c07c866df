package org.arbiter.server.cdr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.arbiter.core.ledger.ChargingRecord;

/**
 * The two file formats of billing records, field by field as {@code docs/billing.md} describes.
 * CSV has one row per record; its {@code flows} column packs the charged flows as
 * {@code flow/direction/party/pool/bps/dscp/latency} items separated by {@code ;}. JSON Lines has
 * one object per line with a {@code flows} array. Interim and final records share the format; the
 * last two CSV columns ({@code record_kind}, {@code record_seq}) tell them apart, appended after
 * the original columns so that readers by position keep working.
 */
public enum CdrFormat {
    CSV("csv"), JSONL("jsonl");

    /** The CSV columns, in order. */
    public static final List<String> COLUMNS = List.of("record_id", "session_id", "charging_id", "subscriber",
            "origin_host", "started_at", "committed_at", "stopped_at", "duration_ms", "modified", "policy_version",
            "rule_id", "termination_cause", "flows", "record_kind", "record_seq");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String extension;

    CdrFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    public static CdrFormat of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "csv" -> CSV;
            case "jsonl" -> JSONL;
            default -> throw new IllegalArgumentException("unknown CDR format '" + name + "'; expected csv or jsonl");
        };
    }

    /** The first line of a file, or {@code null} when the format has none. */
    public String header() {
        return this == CSV ? String.join(",", COLUMNS) : null;
    }

    /**
     * Whether a line is a header this format writes or wrote: for CSV any line naming the columns
     * (files written before the record kind and sequence columns were added have fewer).
     */
    public boolean isHeader(String line) {
        return this == CSV && line.startsWith(COLUMNS.getFirst() + ",");
    }

    /** One record as one line (without the line end). */
    public String line(ChargingRecord r) {
        return this == CSV ? csv(r) : json(r);
    }

    private static String csv(ChargingRecord r) {
        StringBuilder flows = new StringBuilder();
        for (ChargingRecord.ChargedFlow f : r.flows()) {
            if (!flows.isEmpty()) {
                flows.append(';');
            }
            flows.append(f.flow()).append('/').append(f.direction().label()).append('/').append(f.partyAddress()).append('/')
                    .append(f.poolId()).append('/').append(f.bandwidthBps()).append('/').append(f.dscp()).append('/')
                    .append(f.maxLatencyMs() == null ? "" : f.maxLatencyMs());
        }
        return String.join(",", field(r.recordId()), field(r.sessionId()), field(r.chargingId()), field(r.subscriber()),
                field(r.originHost()), field(r.startedAt()), field(r.committedAt()), field(r.stoppedAt()),
                Long.toString(r.duration().toMillis()), Boolean.toString(r.modified()), field(r.policyVersion()),
                field(r.ruleId()), field(r.cause()), field(flows.toString()), r.kind().name(),
                Integer.toString(r.sequence()));
    }

    /** The (stopped-at, record id) of a line this format wrote. */
    public RotatingCdrWriter.Position position(String line) {
        try {
            if (this == JSONL) {
                var node = JSON.readTree(line);
                return new RotatingCdrWriter.Position(java.time.Instant.parse(node.get("stopped_at").asText()),
                        node.get("record_id").asText());
            }
            List<String> f = splitCsv(line);
            return new RotatingCdrWriter.Position(java.time.Instant.parse(f.get(7)), f.get(0));
        } catch (RuntimeException | JsonProcessingException e) {
            throw new IllegalStateException("not a " + extension + " billing record line: " + line, e);
        }
    }

    /** Splits one RFC 4180 line. */
    static List<String> splitCsv(String line) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
    static String field(Object v) {
        if (v == null) {
            return "";
        }
        String s = v.toString();
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String json(ChargingRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("record_id", r.recordId());
        o.put("session_id", r.sessionId());
        o.put("charging_id", r.chargingId());
        o.put("subscriber", r.subscriber());
        o.put("origin_host", r.originHost());
        o.put("started_at", String.valueOf(r.startedAt()));
        o.put("committed_at", r.committedAt() == null ? null : r.committedAt().toString());
        o.put("stopped_at", String.valueOf(r.stoppedAt()));
        o.put("duration_ms", r.duration().toMillis());
        o.put("modified", r.modified());
        o.put("policy_version", r.policyVersion());
        o.put("rule_id", r.ruleId());
        o.put("termination_cause", r.cause() == null ? null : r.cause().name());
        ArrayNode flows = o.putArray("flows");
        for (ChargingRecord.ChargedFlow f : r.flows()) {
            ObjectNode x = flows.addObject();
            x.put("flow", f.flow().toString());
            x.put("direction", f.direction().label());
            x.put("party", f.partyAddress());
            x.put("pool", f.poolId());
            x.put("bandwidth_bps", f.bandwidthBps());
            x.put("dscp", f.dscp());
            if (f.maxLatencyMs() != null) {
                x.put("max_latency_ms", f.maxLatencyMs());
            }
        }
        o.put("record_kind", r.kind().name());
        o.put("record_seq", r.sequence());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render record " + r.recordId(), e);
        }
    }
}
