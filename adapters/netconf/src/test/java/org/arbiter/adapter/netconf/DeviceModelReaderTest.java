package org.arbiter.adapter.netconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceModelReaderTest {

    /** A small valid model; tests break one part of it at a time. */
    static final String VALID = """
            model: acme
            description: Acme router QoS list
            namespaces:
              a: urn:acme:qos
            entry: /a:qos/a:flow
            key: a:key
            install: |
              <flow nc:operation="merge">
                <key>${name}</key>
                <ref>${id}</ref>
                <dir>${direction}</dir>
                <kbps>${rate-kbps}</kbps>
              </flow>
            remove: |
              <flow nc:operation="delete">
                <key>${name}</key>
              </flow>
            read:
              id: a:ref
              direction: a:dir
              rate-kbps: a:kbps
            """;

    private static DeviceModel parse(String text) {
        return DeviceModelReader.parse("acme", "models/acme.yaml", text);
    }

    @Test
    void minimalModelParsesAndRenders() {
        DeviceModel m = parse(VALID);
        DeviceReservation r = new DeviceReservation("r1", "s", "p", Direction.DOWNLINK, "10.0.0.1", 2_000_000, 0, 0, null);

        assertThat(m.installConfig(List.of(r))).isEqualTo("<config><qos xmlns=\"urn:acme:qos\"><flow xmlns=\"urn:acme:qos\" "
                + "xmlns:nc=\"urn:ietf:params:xml:ns:netconf:base:1.0\" xmlns:a=\"urn:acme:qos\" nc:operation=\"merge\">"
                + "<key>" + m.nameOf("r1") + "</key><ref>r1</ref><dir>downlink</dir><kbps>2000</kbps></flow></qos></config>");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown key               | 'model: acme'                 | 'model: acme\nmodle: x'               | modle: unknown key",
        "other model name          | 'model: acme'                 | 'model: acme2'                        | model: 'acme2' differs from the file name",
        "prefix nc reserved        | '  a: urn:acme:qos'           | '  a: urn:acme:qos\n  nc: urn:x'      | namespaces.nc: not a usable prefix",
        "relative entry            | 'entry: /a:qos/a:flow'        | 'entry: a:qos/a:flow'                 | entry: 'a:qos/a:flow' must start with /",
        "unknown prefix in entry   | 'entry: /a:qos/a:flow'        | 'entry: /b:qos/a:flow'                | entry: prefix 'b'",
        "key of two steps          | 'key: a:key'                  | 'key: a:x/a:key'                      | key: must be one leaf",
        "template not well-formed  | '    <ref>${id}</ref>'        | '    <ref>${id}</rf>'                  | install: not well-formed XML: line 3",
        "unknown placeholder       | '    <ref>${id}</ref>'        | '    <ref>${identifier}</ref>'         | install: unknown value ${identifier}",
        "malformed placeholder     | '    <ref>${id}</ref>'        | '    <ref>${id</ref>'                  | install: malformed placeholder",
        "template of another entry | '  <flow nc:operation=\"merge\">' | '  <flow xmlns=\"urn:x\" nc:operation=\"merge\">' | is not the entry {urn:acme:qos}flow",
        "install without the name  | '    <key>${name}</key>\n    <ref>' | '    <ref>'                    | install: never uses ${name}",
        "remove with a rate        | '    <key>${name}</key>\n  </flow>\nread:' | '    <key>${name}</key><k>${rate-bps}</k>\n  </flow>\nread:' | remove: unknown value ${rate-bps}",
        "read without id           | '  id: a:ref\n'               | ''                                    | read: must map 'id'",
        "read without a rate       | '  rate-kbps: a:kbps\n'       | ''                                    | read: must map 'rate-bps' or 'rate-kbps'",
        "read of the name          | '  id: a:ref'                 | '  id: a:ref\n  name: a:key'          | read.name: unknown value",
    })
    void mistakesNameTheFileTheKeyAndWhatIsWrong(String what, String from, String to, String message) {
        String broken = VALID.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        assertThat(broken).as("test input changed").isNotEqualTo(VALID);

        assertThatThrownBy(() -> parse(broken)).isInstanceOf(DeviceModelException.class)
                .hasMessageStartingWith("models/acme.yaml: ").hasMessageContaining(message);
    }

    @Test
    void hashLengthOutOfRangeIsRefused() {
        assertThatThrownBy(() -> parse(VALID + "name: {prefix: x-, hash-length: 4}\n"))
                .hasMessageContaining("name.hash-length: expected an integer in [8, 52], got '4'");
    }

    @Test
    void directionsNeedTwoDifferentValues() {
        assertThatThrownBy(() -> parse(VALID + "directions: {uplink: up, downlink: up}\n"))
                .hasMessageContaining("directions: needs two different values");
    }

    @Test
    void invalidYamlIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> parse("model: [acme\n")).isInstanceOf(DeviceModelException.class)
                .hasMessageContaining("not valid YAML").hasMessageContaining("line");
    }

    @Test
    void duplicateKeysAreRefused() {
        assertThatThrownBy(() -> parse(VALID + "model: acme\n")).hasMessageContaining("not valid YAML");
    }

    @Test
    void aListInsteadOfAMappingIsRefused() {
        assertThatThrownBy(() -> parse("- a\n- b\n")).hasMessageContaining("expected a mapping");
    }

    @Test
    void bothShippedModelsLoad() {
        assertThat(DeviceModelReader.shipped()).allSatisfy(name ->
                assertThat(DeviceModelReader.load(name, null).name()).isEqualTo(name));
    }

    @Test
    void modelInTheDirectoryIsFoundBeforeTheShippedOnes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("acme.yaml"), VALID);

        assertThat(DeviceModelReader.load("acme", dir).entryPath()).extracting(DeviceModel.QName::localName)
                .containsExactly("qos", "flow");
    }

    @Test
    void unknownModelNameListsTheShippedModels(@TempDir Path dir) {
        assertThatThrownBy(() -> DeviceModelReader.load("nokia-sros", dir)).isInstanceOf(DeviceModelException.class)
                .hasMessageContaining("no device model 'nokia-sros'").hasMessageContaining("arbiter-qos");
    }

    @Test
    void modelNameThatIsNoFileNameIsRefused() {
        assertThatThrownBy(() -> DeviceModelReader.load("../etc/passwd", null)).hasMessageContaining("not a file name");
    }
}
