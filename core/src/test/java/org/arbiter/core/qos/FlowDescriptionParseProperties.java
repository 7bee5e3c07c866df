package org.arbiter.core.qos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Reading a rule in place gives what reading its split words gives, rule and reason alike. */
class FlowDescriptionParseProperties {

    @Property(tries = 5000)
    void parsingInPlaceAgreesWithParsingSplitWords(@ForAll("rules") String text) {
        assertThat(FlowDescription.parse(text)).isEqualTo(referenceParse(text));
    }

    @Provide
    Arbitrary<String> rules() {
        Arbitrary<String> word = Arbitraries.of("permit", "permit", "deny", "in", "out", "17", "IP", "ip", "256", "0x11",
                "from", "from", "to", "to", "10.0.0.1", "!10.0.0.1/24", "any", "assigned", "10.0.0.1/129", "2001:db8::1",
                "10.0.0.1/", "10.0.0.1/128", "!", "255", "5000", "5000-5010", "1,2-3", "65535", "0-65535", "65536", "70000",
                "1-2-3", "1,", ",", "-", "9x", "", "017", "00", "Ip", "iP", "\u0130p", "i", "ipp", "!any", "!assigned",
                "/24", "any/24", "!!10.0.0.1", "h\u00e9te", "a_b");
        Arbitrary<String> gap = Arbitraries.of(" ", " ", "  ", "\t", "\r\n", "\u2003");
        return Arbitraries.oneOf(
                Arbitraries.just("permit out 17 from 192.0.2.20 26000 to 10.0.7.7 16000"),
                word.list().ofMinSize(5).ofMaxSize(11).flatMap(ws -> gap.list().ofSize(ws.size() + 1).map(gs -> {
                    StringBuilder sb = new StringBuilder(gs.getFirst());
                    for (int i = 0; i < ws.size(); i++) {
                        sb.append(ws.get(i)).append(gs.get(i + 1));
                    }
                    return sb.toString();
                })),
                word.list().ofMinSize(7).ofMaxSize(9).map(ws -> "permit in ip from " + String.join(" ", ws)));
    }

    // The rule grammar as it read split words, kept here as the reference.

    private static FlowDescription.Parsed referenceParse(String text) {
        String s0 = text.strip();
        String[] t = s0.isEmpty() ? new String[0] : s0.split("\\s+");
        if (t.length < 7) {
            return referenceError(text, "expected 'permit in|out <proto> from <address> [ports] to <address> [ports]'");
        }
        if (!t[0].equals("permit")) {
            return referenceError(text, "the action must be 'permit' (TS 29.214 §5.3.8), found '" + t[0] + "'");
        }
        Direction dir = switch (t[1]) {
            case "in" -> Direction.UPLINK;
            case "out" -> Direction.DOWNLINK;
            default -> null;
        };
        if (dir == null) {
            return referenceError(text, "the direction must be 'in' or 'out', found '" + t[1] + "'");
        }
        String proto = t[2].toLowerCase(Locale.ROOT);
        if (!proto.equals("ip") && !number(proto, 255)) {
            return referenceError(text, "the protocol must be 'ip' or a number 0..255, found '" + t[2] + "'");
        }
        if (!t[3].equals("from")) {
            return referenceError(text, "expected 'from' after the protocol, found '" + t[3] + "'");
        }
        int i = 4;
        String src = address(t[i++]);
        if (src == null) {
            return referenceError(text, "the source '" + t[4] + "' is not an address, 'any' or 'assigned'");
        }
        if (i < t.length && !t[i].equals("to")) {
            if (!ports(t[i])) {
                return referenceError(text, "the source ports '" + t[i] + "' are not a port list");
            }
            i++;
        }
        if (i >= t.length || !t[i].equals("to")) {
            return referenceError(text, "expected 'to' after the source");
        }
        i++;
        if (i >= t.length) {
            return referenceError(text, "no destination after 'to'");
        }
        String dst = address(t[i]);
        if (dst == null) {
            return referenceError(text, "the destination '" + t[i] + "' is not an address, 'any' or 'assigned'");
        }
        if (i + 1 < t.length && !ports(t[i + 1]) && Character.isDigit(t[i + 1].charAt(0))) {
            return referenceError(text, "the destination ports '" + t[i + 1] + "' are not a port list");
        }
        return new FlowDescription.Parsed(new FlowDescription(dir, proto, src.isEmpty() ? null : src, dst.isEmpty() ? null : dst), null);
    }

    private static FlowDescription.Parsed referenceError(String text, String why) {
        return new FlowDescription.Parsed(null, "Flow-Description '" + text.strip() + "': " + why);
    }

    private static String address(String a) {
        String s = a.startsWith("!") ? a.substring(1) : a;
        if (s.equals("any") || s.equals("assigned")) {
            return "";
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            if (!number(s.substring(slash + 1), 128)) {
                return null;
            }
            s = s.substring(0, slash);
        }
        if (s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == ':' || c == '-')) {
                return null;
            }
        }
        return s;
    }

    private static boolean ports(String p) {
        int from = 0;
        while (true) {
            int comma = p.indexOf(',', from);
            int end = comma < 0 ? p.length() : comma;
            int dash = p.indexOf('-', from);
            if (dash < 0 || dash >= end) {
                if (!number(p.substring(from, end), 65535)) {
                    return false;
                }
            } else if (p.indexOf('-', dash + 1) >= 0 && p.indexOf('-', dash + 1) < end
                    || !number(p.substring(from, dash), 65535) || !number(p.substring(dash + 1, end), 65535)) {
                return false;
            }
            if (comma < 0) {
                return true;
            }
            from = comma + 1;
        }
    }

    private static boolean number(String s, int max) {
        if (s.isEmpty() || s.length() > 5) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(s) <= max;
    }
}
