package org.arbiter.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.arbiter.core.ledger.Attachment;
import org.arbiter.core.ledger.IpPrefix;

/**
 * Longest-prefix match over the attachments, in time proportional to the number of distinct
 * prefix lengths (at most 33 for IPv4, 129 for IPv6), not to the number of attachments.
 * Immutable and thread-safe.
 */
final class PrefixIndex {

    private record Key(long hi, long lo) {}

    /** Per family: prefix lengths longest first, and one map per length. */
    private final int[] v4Lengths;
    private final Map<Integer, Map<Key, Attachment>> v4;
    private final int[] v6Lengths;
    private final Map<Integer, Map<Key, Attachment>> v6;

    PrefixIndex(List<Attachment> attachments) {
        Map<Integer, Map<Key, Attachment>> four = new HashMap<>();
        Map<Integer, Map<Key, Attachment>> six = new HashMap<>();
        for (Attachment a : attachments) {
            IpPrefix p = a.prefix();
            Map<Integer, Map<Key, Attachment>> family = p.address().length == 4 ? four : six;
            family.computeIfAbsent(p.length(), l -> new HashMap<>()).putIfAbsent(key(p.address(), p.length()), a);
        }
        this.v4 = four;
        this.v6 = six;
        this.v4Lengths = descending(four);
        this.v6Lengths = descending(six);
    }

    /** The attachment with the longest prefix containing the address, or {@code null}. */
    Attachment match(byte[] address) {
        boolean isV4 = address.length == 4;
        int[] lengths = isV4 ? v4Lengths : v6Lengths;
        Map<Integer, Map<Key, Attachment>> family = isV4 ? v4 : v6;
        for (int len : lengths) {
            Attachment a = family.get(len).get(key(address, len));
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    private static int[] descending(Map<Integer, ?> byLength) {
        List<Integer> l = new ArrayList<>(new TreeSet<>(byLength.keySet()).descendingSet());
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The first {@code len} bits of the address, as two longs (IPv4 uses the low long only). */
    private static Key key(byte[] address, int len) {
        byte[] a = Arrays.copyOf(address, 16);
        for (int bit = len; bit < 128; bit++) {
            a[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (a[i] & 0xFF);
            lo = (lo << 8) | (a[8 + i] & 0xFF);
        }
        return new Key(hi, lo);
    }
}
