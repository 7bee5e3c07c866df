package org.arbiter.adapter.netconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.arbiter.adapter.netconf.DeviceModel.Entry;
import org.arbiter.adapter.netconf.DeviceModel.Value;
import org.arbiter.core.adapter.DeviceReservation;
import org.arbiter.core.qos.Direction;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class DeviceModelTest {

    private static final DeviceModel QOS = DeviceModelReader.load("arbiter-qos", null);
    private static final DeviceModel IFS = DeviceModelReader.load("ietf-interfaces-policer", null);

    private static final DeviceReservation UL = new DeviceReservation(
            "pcscf.rx.test;2072389454;1|3.1|UL|10.1.0.7|line-7", "pcscf.rx.test;2072389454;1", "line-7",
            Direction.UPLINK, "10.1.0.7", 128_000, 1_500, 46, 100);

    private static DeviceReservation withId(String id, Integer latency) {
        return new DeviceReservation(id, "s", "p", Direction.DOWNLINK, "2001:db8::1b", 64_500, 1_500, 34, latency);
    }

    private static Element parse(String xml) throws Xml.MalformedXmlException {
        return Xml.parse(xml.getBytes(StandardCharsets.UTF_8)).getDocumentElement();
    }

    /** The config as the device would return it in {@code <data>}. */
    private static Element asData(String config) throws Xml.MalformedXmlException {
        Document d = Xml.parse(("<data xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"
                + config.replace("<config>", "").replace("</config>", "") + "</data>").getBytes(StandardCharsets.UTF_8));
        return d.getDocumentElement();
    }

    @Test
    void entryNameIsPrefixPlusBase32HashOfTheId() {
        String name = QOS.nameOf(UL.id());

        assertThat(name).startsWith("arb-").hasSize(4 + 26).matches("[A-Za-z0-9._-]+");
        assertThat(QOS.nameOf(UL.id())).isEqualTo(name);
        assertThat(QOS.nameOf(UL.id() + "x")).isNotEqualTo(name);
    }

    @Test
    void arbiterQosInstallRendersOneReplacedEntryWithEveryValue() {
        String name = QOS.nameOf(UL.id());

        assertThat(QOS.installConfig(List.of(UL))).isEqualTo("<config><reservations xmlns=\"urn:arbiter:qos\">"
                + "<reservation xmlns=\"urn:arbiter:qos\" xmlns:nc=\"urn:ietf:params:xml:ns:netconf:base:1.0\" "
                + "xmlns:arbq=\"urn:arbiter:qos\" nc:operation=\"replace\">"
                + "<name>" + name + "</name>"
                + "<id>pcscf.rx.test;2072389454;1|3.1|UL|10.1.0.7|line-7</id>"
                + "<session-id>pcscf.rx.test;2072389454;1</session-id><pool>line-7</pool>"
                + "<subscriber>10.1.0.7</subscriber><direction>uplink</direction><rate-bps>128000</rate-bps>"
                + "<burst-bytes>1500</burst-bytes><dscp>46</dscp><latency-ms>100</latency-ms>"
                + "</reservation></reservations></config>");
    }

    @Test
    void leafOfAnAbsentValueIsLeftOut() {
        assertThat(QOS.installConfig(List.of(withId("a", null)))).doesNotContain("latency-ms").contains("<dscp>34</dscp>");
    }

    @Test
    void batchRendersAllEntriesInOneContainer() {
        String config = QOS.installConfig(List.of(withId("a", 5), withId("b", 6), withId("c", 7)));

        assertThat(config).containsOnlyOnce("<reservations ").contains(QOS.nameOf("a"), QOS.nameOf("b"), QOS.nameOf("c"));
    }

    @Test
    void markupInValuesIsEscapedAndReadsBackUnchanged() throws Exception {
        String id = "x<y>&\"z\"'|]]>]]>;\u00e9\uD83D\uDE00";

        String config = QOS.installConfig(List.of(withId(id, null)));

        assertThat(config).doesNotContain("]]>]]>").contains("x&lt;y&gt;&amp;&quot;z&quot;&apos;");
        List<Entry> back = QOS.entries(asData(config));
        assertThat(back).singleElement().satisfies(e -> {
            assertThat(e.values().get(Value.ID)).isEqualTo(id);
            assertThat(e.name()).isEqualTo(QOS.nameOf(id));
        });
    }

    @Test
    void controlCharacterInAValueCannotBeRendered() {
        assertThatThrownBy(() -> QOS.installConfig(List.of(withId("a\u0001b", null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0001");
    }

    @Test
    void removeRendersTheKeyOnlyWithOperationRemove() {
        assertThat(QOS.removeConfig(List.of("a"))).isEqualTo("<config><reservations xmlns=\"urn:arbiter:qos\">"
                + "<reservation xmlns=\"urn:arbiter:qos\" xmlns:nc=\"urn:ietf:params:xml:ns:netconf:base:1.0\" "
                + "xmlns:arbq=\"urn:arbiter:qos\" nc:operation=\"remove\"><name>" + QOS.nameOf("a") + "</name>"
                + "</reservation></reservations></config>");
    }

    @Test
    void selectFilterHasOneContentMatchPerName() {
        assertThat(QOS.selectFilter(List.of("n1", "n<2"))).isEqualTo("<filter type=\"subtree\">"
                + "<reservations xmlns=\"urn:arbiter:qos\"><reservation><name>n1</name></reservation>"
                + "<reservation><name>n&lt;2</name></reservation></reservations></filter>");
    }

    @Test
    void listFilterSelectsEveryEntry() {
        assertThat(QOS.listFilter()).isEqualTo("<filter type=\"subtree\"><reservations xmlns=\"urn:arbiter:qos\">"
                + "<reservation/></reservations></filter>");
    }

    @Test
    void renderedEntryReadsBackAsTheSameReservation() throws Exception {
        Entry e = QOS.entries(asData(QOS.installConfig(List.of(UL)))).getFirst();

        assertThat(QOS.difference(UL, e)).isEmpty();
        assertThat(QOS.isOurs(e)).isTrue();
        assertThat(QOS.reservation(e).reservation()).isEqualTo(UL);
    }

    @Test
    void changedRateIsADifference() throws Exception {
        Entry e = QOS.entries(asData(QOS.installConfig(List.of(UL)))).getFirst();
        DeviceReservation faster = new DeviceReservation(UL.id(), UL.sessionId(), UL.poolId(), UL.direction(),
                UL.subscriberAddress(), 256_000, UL.burstBytes(), UL.dscp(), UL.maxLatencyMs());

        assertThat(QOS.difference(faster, e)).hasValueSatisfying(d -> assertThat(d)
                .isEqualTo("rate-bps is '128000' on the device, '256000' wanted"));
    }

    @Test
    void droppedLatencyIsADifference() throws Exception {
        Entry e = QOS.entries(asData(QOS.installConfig(List.of(withId("a", 20))))).getFirst();

        assertThat(QOS.difference(withId("a", null), e)).hasValueSatisfying(d -> assertThat(d).startsWith("latency-ms"));
    }

    @Test
    void dscpLeftOutByTheDeviceReadsAsItsYangDefault() throws Exception {
        DeviceReservation best = new DeviceReservation("be", "s", "p", Direction.UPLINK, "10.0.0.1", 1000, 1500, 0, null);
        String trimmed = QOS.installConfig(List.of(best)).replace("<dscp>0</dscp>", "");

        assertThat(QOS.difference(best, QOS.entries(asData(trimmed)).getFirst())).isEmpty();
    }

    @Test
    void entryWhoseNameDoesNotMatchItsIdIsNotOurs() throws Exception {
        Element data = parse("<data xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><reservations xmlns=\"urn:arbiter:qos\">"
                + "<reservation><name>manual-1</name><id>a</id><direction>uplink</direction><rate-bps>5</rate-bps>"
                + "</reservation></reservations></data>");

        assertThat(QOS.entries(data)).singleElement().satisfies(e -> assertThat(QOS.isOurs(e)).isFalse());
    }

    @Test
    void unreadableRateIsReportedNotThrown() throws Exception {
        String name = QOS.nameOf("a");
        Element data = parse("<data xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><reservations xmlns=\"urn:arbiter:qos\">"
                + "<reservation><name>" + name + "</name><id>a</id><direction>uplink</direction><rate-bps>fast</rate-bps>"
                + "</reservation></reservations></data>");

        DeviceModel.Readback r = QOS.reservation(QOS.entries(data).getFirst());

        assertThat(r.reservation()).isNull();
        assertThat(r.problem()).contains(name).contains("not readable");
    }

    @Test
    void interfacesModelRendersAnInterfaceWithAPolicer() throws Exception {
        String config = IFS.installConfig(List.of(UL));
        Element root = parse(config);

        assertThat(config).contains("<interfaces xmlns=\"urn:ietf:params:xml:ns:yang:ietf-interfaces\">")
                .contains("xmlns:ianaift=\"urn:ietf:params:xml:ns:yang:iana-if-type\"")
                .contains("<type>ianaift:other</type>")
                .contains("<description>" + UL.id() + "</description>")
                .contains("<arbp:direction>ingress</arbp:direction>")
                .contains("<arbp:rate-kbps>128</arbp:rate-kbps>");
        Element iface = (Element) root.getElementsByTagNameNS("urn:ietf:params:xml:ns:yang:ietf-interfaces", "interface").item(0);
        assertThat(iface.getAttributeNS(Xml.NETCONF_NS, "operation")).isEqualTo("replace");
        assertThat(iface.getElementsByTagNameNS("urn:arbiter:if-policer", "policer").getLength()).isEqualTo(1);
        assertThat(IFS.nameOf(UL.id())).startsWith("arbp-").hasSize(25);
    }

    @Test
    void interfacesModelRoundsTheRateUpToWholeKbps() {
        DeviceReservation odd = new DeviceReservation("o", "s", "p", Direction.DOWNLINK, "10.0.0.2", 64_001, 1500, 0, null);

        assertThat(IFS.installConfig(List.of(odd))).contains("<arbp:rate-kbps>65</arbp:rate-kbps>")
                .contains("<arbp:direction>egress</arbp:direction>");
    }

    @Test
    void interfacesModelReadsBackFromTheDescriptionAndThePolicer() throws Exception {
        Entry e = IFS.entries(asData(IFS.installConfig(List.of(UL)))).getFirst();

        assertThat(IFS.isOurs(e)).isTrue();
        assertThat(IFS.difference(UL, e)).isEmpty();
        DeviceReservation back = IFS.reservation(e).reservation();
        assertThat(back.id()).isEqualTo(UL.id());
        assertThat(back.rateBps()).isEqualTo(128_000);
        assertThat(back.direction()).isEqualTo(Direction.UPLINK);
        assertThat(back.maxLatencyMs()).isEqualTo(100);
    }

    @Test
    void interfacesModelSkipsInterfacesConfiguredByOthers() throws Exception {
        Element data = parse("<data xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"
                + "<interfaces xmlns=\"urn:ietf:params:xml:ns:yang:ietf-interfaces\"><interface><name>eth0</name>"
                + "<description>uplink to the BRAS</description></interface></interfaces></data>");

        assertThat(IFS.entries(data)).singleElement().satisfies(e -> assertThat(IFS.isOurs(e)).isFalse());
    }

    @Test
    void interfacesModelRemoveAndFilters() {
        assertThat(IFS.removeConfig(List.of("a"))).contains("nc:operation=\"remove\"").contains("<name>" + IFS.nameOf("a"));
        assertThat(IFS.listFilter()).isEqualTo("<filter type=\"subtree\"><interfaces "
                + "xmlns=\"urn:ietf:params:xml:ns:yang:ietf-interfaces\"><interface/></interfaces></filter>");
    }
}
