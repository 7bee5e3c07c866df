package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.IpPrefix;
import org.junit.jupiter.api.Test;

class PrefixIndexTest {

    private static Attachment at(String prefix, String pool) {
        return new Attachment(IpPrefix.parse(prefix), pool);
    }

    private static String match(PrefixIndex index, String address) {
        Attachment a = index.match(IpPrefix.parseAddress(address));
        return a == null ? null : a.pool();
    }

    @Test
    void longestPrefixWins() {
        PrefixIndex index = new PrefixIndex(List.of(at("10.0.0.0/8", "wide"), at("10.1.0.0/16", "mid"),
                at("10.1.2.0/24", "narrow"), at("10.1.2.3/32", "host")));

        assertThat(match(index, "10.1.2.3")).isEqualTo("host");
        assertThat(match(index, "10.1.2.4")).isEqualTo("narrow");
        assertThat(match(index, "10.1.3.4")).isEqualTo("mid");
        assertThat(match(index, "10.200.3.4")).isEqualTo("wide");
        assertThat(match(index, "11.0.0.1")).isNull();
    }

    @Test
    void familiesAreKeptApart() {
        PrefixIndex index = new PrefixIndex(List.of(at("0.0.0.0/0", "v4-default"), at("2001:db8::/32", "v6")));

        assertThat(match(index, "2001:db8:ffff::1")).isEqualTo("v6");
        assertThat(match(index, "2001:db9::1")).isNull();
        assertThat(match(index, "192.0.2.1")).isEqualTo("v4-default");
    }

    @Test
    void agreesWithALinearScanOnRandomPrefixes() {
        Random rnd = new Random(42);
        List<Attachment> attachments = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int len = 8 + rnd.nextInt(25);
            byte[] a = {10, (byte) rnd.nextInt(4), (byte) rnd.nextInt(4), (byte) rnd.nextInt(256)};
            IpPrefix p = new IpPrefix(a, len);
            if (attachments.stream().noneMatch(x -> x.prefix().equals(p))) {
                attachments.add(new Attachment(p, "pool-" + i));
            }
        }
        PrefixIndex index = new PrefixIndex(attachments);
        for (int i = 0; i < 2000; i++) {
            byte[] addr = {10, (byte) rnd.nextInt(4), (byte) rnd.nextInt(4), (byte) rnd.nextInt(256)};
            Attachment expected = attachments.stream().filter(x -> x.prefix().contains(addr))
                    .max((x, y) -> Integer.compare(x.prefix().length(), y.prefix().length())).orElse(null);
            assertThat(index.match(addr)).isEqualTo(expected);
        }
    }
}
