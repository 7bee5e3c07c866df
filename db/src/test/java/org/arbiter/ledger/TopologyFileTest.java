package org.arbiter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import org.arbiter.core.ledger.PathHop;
import org.arbiter.core.ledger.PoolSpec;
import org.arbiter.core.ledger.Topology;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopologyFileTest {

    private static Topology parse(String yaml) {
        return TopologyFile.parse("topo.yaml", new StringReader(yaml));
    }

    private static List<String> errors(String yaml) {
        try {
            parse(yaml);
        } catch (TopologyFile.InvalidTopologyException e) {
            return e.errors();
        }
        throw new AssertionError("expected the topology to be invalid");
    }

    private static final String VALID = """
            version: 1
            pools:
              - id: bras-1
                device: bras-1
                capacity: 1Gbit
                admissible: 0.9
              - id: dslam-1-up
                parent: bras-1
                device: dslam-1
                capacity: {uplink: 100Mbit, downlink: 200Mbit}
              - id: line-1
                parent: dslam-1-up
                device: dslam-1
                description: Alice's line
                capacity:
                  uplink: 1Mbit
                  downlink: 4Mbit
                admissible: 80%
            attachments:
              - prefix: 10.1.0.0/16
                pool: line-1
              - prefix: 10.1.5.0/24
                pool: dslam-1-up
              - prefix: 2001:db8:1::/48
                pool: line-1
            """;

    @Test
    void readsPoolsWithCapacitiesFractionsParentsAndDevices() {
        Topology t = parse(VALID);

        assertThat(t.pool("bras-1")).contains(new PoolSpec("bras-1", null, 1_000_000_000, 1_000_000_000, 0.9, "bras-1"));
        assertThat(t.pool("dslam-1-up").orElseThrow().downlinkCapacityBps()).isEqualTo(200_000_000);
        PoolSpec line = t.pool("line-1").orElseThrow();
        assertThat(line.parent()).isEqualTo("dslam-1-up");
        assertThat(line.admissible(Direction.DOWNLINK)).isEqualTo(3_200_000);
    }

    @Test
    void nestedPrefixesResolveToTheLongestMatch() {
        Topology t = parse(VALID);

        assertThat(t.resolve("10.1.5.9").orElseThrow().hops()).extracting(PathHop::poolId)
                .containsExactly("dslam-1-up", "bras-1");
        assertThat(t.resolve("10.1.6.9").orElseThrow().hops()).extracting(PathHop::poolId)
                .containsExactly("line-1", "dslam-1-up", "bras-1");
        assertThat(t.resolve("2001:db8:1::77")).isPresent();
    }

    @ParameterizedTest
    @CsvSource({
        "64000, 64000",
        "512kbit, 512000",
        "4Mbit, 4000000",
        "4mbit, 4000000",
        "1Gbit, 1000000000",
        "1.5Gbit, 1500000000",
        "10 Mbit/s, 10000000",
        "10Mbps, 10000000",
        "2Tbit, 2000000000000",
        "0, 0"})
    void bandwidthsAcceptBitsPerSecondAndSiUnits(String text, long bps) {
        assertThat(TopologyFile.parseBandwidth(text)).isEqualTo(bps);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4MB", "4M", "1.5", "-1", "", "0.0001kbit", "fast", "4 Mb", "99999999999Tbit"})
    void bandwidthsRejectBytesFractionsOfABitAndNonsense(String text) {
        assertThat(TopologyFile.parseBandwidth(text)).isNull();
    }

    @Test
    void badBandwidthIsReportedWithFileLineColumnPathAndWhatIsAllowed() {
        List<String> e = errors("""
                pools:
                  - id: p
                    capacity: {uplink: 4MB, downlink: 1Mbit}
                """);

        assertThat(e).containsExactly("topo.yaml:3:24: pools[0].capacity.uplink: '4MB' is not a bandwidth; use whole "
                + "bit/s (64000) or a number with kbit, Mbit, Gbit or Tbit (512kbit, 4Mbit, 1.5Gbit)");
    }

    @Test
    void unknownKeyIsReportedWithTheAllowedKeys() {
        assertThat(errors("""
                pools:
                  - id: p
                    capacity: 1Mbit
                    capcity: 2Mbit
                """)).containsExactly("topo.yaml:4:5: pools[0].capcity: unknown key; allowed: "
                + "[admissible, capacity, description, device, id, parent]");
    }

    @Test
    void missingCapacityIsReported() {
        assertThat(errors("""
                pools:
                  - id: p
                """)).singleElement().asString().startsWith("topo.yaml:2:5: pools[0].capacity: is missing");
    }

    @Test
    void unknownParentIsReportedAtTheParentValue() {
        assertThat(errors("""
                pools:
                  - id: p
                    parent: nowhere
                    capacity: 1Mbit
                """)).containsExactly("topo.yaml:3:13: pool 'p'.parent: names unknown pool 'nowhere'");
    }

    @Test
    void parentCycleIsReportedOnce() {
        assertThat(errors("""
                pools:
                  - {id: a, parent: b, capacity: 1Mbit}
                  - {id: b, parent: c, capacity: 1Mbit}
                  - {id: c, parent: a, capacity: 1Mbit}
                """)).singleElement().asString().contains("forms a parent cycle").contains("a -> b -> c -> a");
    }

    @Test
    void duplicatePoolIdIsReportedWithTheFirstLine() {
        assertThat(errors("""
                pools:
                  - {id: a, capacity: 1Mbit}
                  - {id: a, capacity: 2Mbit}
                """)).containsExactly("topo.yaml:3:5: pools: pool 'a' is defined twice (first at line 2)");
    }

    @Test
    void identicalPrefixesAreAConflictEvenOnTheSamePool() {
        assertThat(errors("""
                pools:
                  - {id: a, capacity: 1Mbit}
                  - {id: b, capacity: 1Mbit}
                attachments:
                  - {prefix: 10.0.0.0/8, pool: a}
                  - {prefix: 10.0.0.0/8, pool: b}
                """)).singleElement().asString().startsWith("topo.yaml:6:14: attachment 10.0.0.0/8: prefix is "
                + "attached twice (pools 'a' at line 5 and 'b')");
    }

    @Test
    void prefixWithHostBitsSetIsRefusedWithASuggestion() {
        assertThat(errors("""
                pools:
                  - {id: a, capacity: 1Mbit}
                attachments:
                  - {prefix: 10.1.2.3/16, pool: a}
                """)).containsExactly("topo.yaml:4:14: attachments[0].prefix: '10.1.2.3/16' has host bits set; "
                + "did you mean 10.1.0.0/16?");
    }

    @Test
    void malformedPrefixAndUnknownPoolAreBothReported() {
        assertThat(errors("""
                pools:
                  - {id: a, capacity: 1Mbit}
                attachments:
                  - {prefix: 10.1.0.0/33, pool: a}
                  - {prefix: 10.2.0.0/16, pool: zz}
                """)).hasSize(2).anySatisfy(e -> assertThat(e).startsWith("topo.yaml:4:14: attachments[0].prefix"))
                .anySatisfy(e -> assertThat(e).isEqualTo("topo.yaml:5:33: attachment 10.2.0.0/16.pool: "
                        + "names unknown pool 'zz'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "10.5", "-0.5", "lots", "0%"})
    void admissibleFractionOutsideItsRangeIsRefused(String value) {
        assertThat(errors("pools:\n  - {id: a, capacity: 1Mbit, admissible: '" + value + "'}\n"))
                .singleElement().asString().contains("pools[0].admissible: '" + value + "' is not a fraction");
    }

    @Test
    void oversubscriptionUpToTenIsAllowed() {
        assertThat(parse("pools:\n  - {id: a, capacity: 1Mbit, admissible: 4}\n").pool("a").orElseThrow()
                .admissible(Direction.UPLINK)).isEqualTo(4_000_000);
    }

    @Test
    void badIdIsRefused() {
        assertThat(errors("pools:\n  - {id: 'a|b', capacity: 1Mbit}\n")).singleElement().asString()
                .contains("pools[0].id: 'a|b' is not a valid id");
    }

    @Test
    void everyProblemIsReportedInLineOrder() {
        assertThat(errors("""
                pools:
                  - {id: a, capacity: 1Mbyte}
                  - {id: b, parent: x, capacity: 1Mbit}
                  - {id: c}
                """)).extracting(e -> e.split(":")[1]).containsExactly("2", "3", "4");
    }

    @Test
    void yamlSyntaxErrorCarriesItsLine() {
        assertThat(errors("pools:\n  - {id: a, capacity: 1Mbit\n")).singleElement().asString()
                .startsWith("topo.yaml:3:").contains("not valid YAML");
    }

    @Test
    void emptyFileIsRefused() {
        assertThat(errors("")).containsExactly("topo.yaml: the file is empty; it needs 'pools' and 'attachments'");
    }

    @Test
    void unsupportedVersionIsRefused() {
        assertThat(errors("version: 2\npools: []\n")).containsExactly("topo.yaml:1:10: version: '2' is not supported; allowed: 1");
    }

    @Test
    void topLevelListIsRefused() {
        assertThat(errors("- a\n- b\n")).singleElement().asString()
                .startsWith("topo.yaml:1:1: (top level): must be a mapping with keys [attachments, pools, version]");
    }

    @Test
    void exceptionMessageListsEveryProblem() {
        assertThatThrownBy(() -> parse("pools:\n  - {id: a}\n  - {id: b}\n"))
                .isInstanceOf(TopologyFile.InvalidTopologyException.class)
                .hasMessageStartingWith("invalid topology topo.yaml (2 problems):")
                .hasMessageContaining("topo.yaml:2:5:").hasMessageContaining("topo.yaml:3:5:");
    }
}
