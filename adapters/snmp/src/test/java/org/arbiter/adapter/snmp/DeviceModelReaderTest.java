package org.arbiter.adapter.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Arrays;
import java.util.stream.Stream;
import org.arbiter.adapter.snmp.DeviceModel.RowIndex;
import org.arbiter.adapter.snmp.DeviceModel.Source;
import org.arbiter.adapter.snmp.DeviceModel.Syntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snmp4j.smi.OID;

class DeviceModelReaderTest {

    /** A valid model; the broken variants below replace one of its lines (1-based). */
    private static final String[] VALID = {
        "model: test-model",                                   // 1
        "index:",                                              // 2
        "  kind: hash31",                                      // 3
        "  probe: 2",                                          // 4
        "tables:",                                             // 5
        "  - name: policerTable",                              // 6
        "    entry: 1.3.6.1.4.1.8072.9999.9999.97.1.1",        // 7
        "    row-status: 12",                                  // 8
        "    columns:",                                        // 9
        "      - name: id",                                    // 10
        "        column: 2",                                   // 11
        "        type: string",                                // 12
        "        value: id",                                   // 13
        "      - name: rate",                                  // 14
        "        column: 8",                                   // 15
        "        type: unsigned",                              // 16
        "        value: rate-kbps",                            // 17
        "      - name: direction",                             // 18
        "        column: 6",                                   // 19
        "        type: integer",                               // 20
        "        value: direction",                            // 21
        "        map: {uplink: 1, downlink: 2}",               // 22
    };

    private static String with(int line, String replacement) {
        String[] lines = VALID.clone();
        lines[line - 1] = replacement;
        return String.join("\n", lines) + "\n";
    }

    private static DeviceModel parse(String text) {
        return DeviceModelReader.parse("models/test-model.yaml", text, "test-model");
    }

    @Test
    void validModelIsRead() {
        DeviceModel m = parse(String.join("\n", VALID));

        assertThat(m.name()).isEqualTo("test-model");
        assertThat(m.index()).isEqualTo(new RowIndex(RowIndex.Kind.HASH31, "", 0, false, 2));
        assertThat(m.tables()).singleElement().satisfies(t -> {
            assertThat(t.entry()).isEqualTo(new OID("1.3.6.1.4.1.8072.9999.9999.97.1.1"));
            assertThat(t.rowStatus()).isEqualTo(12);
            assertThat(t.createAndWait()).isFalse();
            assertThat(t.columns()).extracting(DeviceModel.Column::number, DeviceModel.Column::syntax, DeviceModel.Column::source)
                    .containsExactly(
                            tuple(2, Syntax.STRING, Source.ID),
                            tuple(8, Syntax.UNSIGNED, Source.RATE_KBPS),
                            tuple(6, Syntax.INTEGER, Source.DIRECTION));
        });
        assertThat(m.idColumn().name()).isEqualTo("id");
    }

    @Test
    void shippedDocsisModelLoads() {
        DeviceModel m = DeviceModelReader.load("docsis-qos-service-class", null);

        assertThat(m.source()).isEqualTo("classpath:org/arbiter/adapter/snmp/models/docsis-qos-service-class.yaml");
        assertThat(m.index()).isEqualTo(new RowIndex(RowIndex.Kind.NAME, "arb", 15, false, 2));
        assertThat(m.tables()).extracting(DeviceModel.Table::name).containsExactly("docsIetfQosServiceClassTable", "reservationLabelTable");
        assertThat(m.idTable().name()).isEqualTo("reservationLabelTable");
    }

    @Test
    void shippedDiffServModelLoads() {
        DeviceModel m = DeviceModelReader.load("diffserv-policer", null);

        assertThat(m.index().kind()).isEqualTo(RowIndex.Kind.HASH31);
        assertThat(m.tables()).singleElement().satisfies(t -> assertThat(t.createAndWait()).isTrue());
    }

    @Test
    void unknownModelNameGivesNull() {
        assertThat(DeviceModelReader.load("no-such-model", null)).isNull();
    }

    static Stream<Arguments> brokenModels() {
        return Stream.of(
                Arguments.of(with(16, "        type: gauge"), 16, "tables[0].columns[1].type: 'gauge'; expected one of integer, unsigned, string, octets, ip-address"),
                Arguments.of(with(17, "        value: speed"), 17, "tables[0].columns[1].value: 'speed'; expected one of ["),
                Arguments.of(with(12, "        type: integer"), 13, "id cannot be written as integer; expected a column of type string"),
                Arguments.of(with(7, "    entry: 1.3.6.x"), 7, "tables[0].entry: '1.3.6.x'; expected a numeric OID"),
                Arguments.of(with(8, "    row-status: 8"), 14, "tables[0].columns[1].column: 8 is the row-status column"),
                Arguments.of(with(4, "  probe: 99"), 4, "index.probe: '99'; expected an integer in [1, 16]"),
                Arguments.of(with(3, "  kind: random"), 3, "index.kind: 'random'; expected name or hash31"),
                Arguments.of(with(3, "  kind: name"), 3, "index.length: missing"),
                Arguments.of(with(1, "model: other-model"), 1, "model: 'other-model' differs from the file name; expected 'test-model'"),
                Arguments.of(with(8, "    row-status: 12\n    colour: red"), 9, "tables[0].colour: unknown key; expected one of [columns, create, entry, name, row-status]"),
                Arguments.of(with(22, ""), 18, "tables[0].columns[2].map: missing; value: direction needs map"),
                Arguments.of(with(22, "        map: {uplink: 1}"), 22, "tables[0].columns[2].map.downlink: missing"),
                Arguments.of(with(17, "        value: latency-ms"), 14, "tables[0].columns[1].if-absent: missing"),
                Arguments.of(with(16, "        type: string").replace("value: rate-kbps", "value: id"), 6, "2 columns have value: id; expected exactly one"),
                Arguments.of(with(13, "        value: rate-bps").replace("type: string", "type: unsigned"), 6, "0 columns have value: id"),
                Arguments.of(with(15, "        column: 2"), 14, "tables[0].columns[1].column: 2 appears twice in policerTable"),
                Arguments.of(with(10, "      - name: [unclosed"), 11, "not valid YAML"),
                Arguments.of(with(12, "        type: string\n        range: [0, 5]"), 13, "tables[0].columns[0].range: only for integer and unsigned columns"),
                Arguments.of(with(17, "        const: -5"), 17, "tables[0].columns[1].const: '-5'; expected an integer in [0, 4294967295]"),
                Arguments.of(with(17, "        hex: 00ff"), 17, "tables[0].columns[1].hex: only for octets columns"),
                Arguments.of(with(17, "        value: rate-kbps\n        const: 5"), 14, "needs exactly one of value, const, hex; has [value, const]"),
                Arguments.of(with(21, "        value: dscp"), 22, "tables[0].columns[2].map: only for value: direction"),
                Arguments.of(String.join("\n", Arrays.copyOf(VALID, 8)) + "\n    columns: []\n", 9, "tables[0].columns: 0 entries; expected 1 to 64"),
                Arguments.of(with(22, VALID[21] + "\n  - name: second"), 23, "tables[1].columns: missing"));
    }

    @ParameterizedTest(name = "line {1}: {2}")
    @MethodSource("brokenModels")
    void brokenModelIsRejectedWithFileLineAndWhatIsAllowed(String text, int line, String message) {
        assertThatThrownBy(() -> parse(text))
                .isInstanceOfSatisfying(DeviceModelException.class, e -> assertThat(e.line()).isEqualTo(line))
                .hasMessageStartingWith("models/test-model.yaml:" + line + ":")
                .hasMessageContaining(message);
    }

    @Test
    void emptyFileIsRejected() {
        assertThatThrownBy(() -> parse("")).isInstanceOf(DeviceModelException.class)
                .hasMessage("models/test-model.yaml: empty file; expected a device model");
    }

    @Test
    void overlappingTablesAreRejected() {
        String text = String.join("\n", VALID) + "\n"
                + "  - name: inner\n    entry: 1.3.6.1.4.1.8072.9999.9999.97.1.1.8\n    row-status: 2\n"
                + "    columns:\n      - {name: x, column: 3, type: integer, const: 1}\n";

        assertThatThrownBy(() -> parse(text)).isInstanceOf(DeviceModelException.class)
                .hasMessageStartingWith("models/test-model.yaml:23:")
                .hasMessageContaining("tables[1].entry: 1.3.6.1.4.1.8072.9999.9999.97.1.1.8 overlaps tables[0].entry");
    }

    @Test
    void namePrefixLongerThanLengthAllowsIsRejected() {
        String text = with(3, "  kind: name\n  length: 10\n  prefix: abcdefgh");

        assertThatThrownBy(() -> parse(text)).isInstanceOf(DeviceModelException.class)
                .hasMessageStartingWith("models/test-model.yaml:5:")
                .hasMessageContaining("index.prefix: 'abcdefgh' must be letters, digits, '.', '_' or '-', at most 2 of them");
    }
}
