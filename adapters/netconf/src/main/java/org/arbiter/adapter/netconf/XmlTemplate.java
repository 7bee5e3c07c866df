package org.arbiter.adapter.netconf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * One entry of a device model as XML text with {@code ${value}} placeholders, parsed once when the
 * model loads and rendered per reservation.
 *
 * <p>The text is a fragment: one element (the list entry) whose namespaces come from the model.
 * When parsed it sits inside a wrapper that declares the entry's namespace as the default
 * namespace, {@code nc} as the NETCONF base namespace (for {@code nc:operation}) and every prefix
 * of the model's {@code namespaces}; the rendered entry declares the same, so prefixes used inside
 * values (identityrefs such as {@code ianaift:other}) stay bound.
 *
 * <p>Rendering substitutes values into character data and attribute values and escapes them, so a
 * reservation id with {@code <}, {@code &} or quotes stays data. A leaf element whose text refers
 * to a value the reservation does not have (no latency target, say) is left out; an absent value
 * in an attribute renders as empty text. Comments and whitespace between elements are dropped.
 *
 * <p><b>Threading.</b> Immutable after construction; {@link #render} may run concurrently.
 */
final class XmlTemplate {

    /** A placeholder: {@code ${name}} with a lower-case, dash-separated name. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z][a-z0-9-]*)}");

    private final Element root;
    private final Map<String, String> declarations;
    private final Set<String> placeholders;

    private XmlTemplate(Element root, Map<String, String> declarations, Set<String> placeholders) {
        this.root = root;
        this.declarations = declarations;
        this.placeholders = placeholders;
    }

    /**
     * Parses a fragment.
     *
     * @param text the fragment, one element
     * @param defaultNamespace the namespace unprefixed elements get (the entry's)
     * @param prefixes the model's prefix-to-namespace map
     * @param known the placeholder names that may appear
     * @throws DeviceModelException.Problem what is wrong, with the line within the fragment
     */
    static XmlTemplate parse(String text, String defaultNamespace, Map<String, String> prefixes, Set<String> known)
            throws DeviceModelException.Problem {
        Map<String, String> decls = new LinkedHashMap<>();
        decls.put("xmlns", defaultNamespace);
        decls.put("xmlns:nc", Xml.NETCONF_NS);
        prefixes.forEach((p, ns) -> decls.put("xmlns:" + p, ns));
        StringBuilder wrapper = new StringBuilder("<template");
        decls.forEach((k, v) -> wrapper.append(' ').append(k).append("=\"").append(Xml.escape(v)).append('"'));
        // the wrapper's start tag stays on the first line so that parser line numbers match the fragment
        wrapper.append('>').append(text).append("</template>");
        Document doc;
        try {
            doc = Xml.parse(wrapper.toString());
        } catch (Xml.MalformedXmlException e) {
            throw new DeviceModelException.Problem("not well-formed XML: " + e.getMessage());
        }
        Element only = null;
        for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                if (only != null) {
                    throw new DeviceModelException.Problem("holds more than one element (<" + only.getTagName()
                            + "> and <" + e.getTagName() + ">); a template is one list entry");
                }
                only = e;
            } else if (n.getNodeType() == Node.TEXT_NODE && !n.getTextContent().isBlank()) {
                throw new DeviceModelException.Problem("text outside the entry element: '" + n.getTextContent().strip() + "'");
            }
        }
        if (only == null) {
            throw new DeviceModelException.Problem("holds no element");
        }
        Set<String> used = new LinkedHashSet<>();
        collect(only, known, used);
        return new XmlTemplate(only, Collections.unmodifiableMap(decls), Set.copyOf(used));
    }

    private static void collect(Element e, Set<String> known, Set<String> used) throws DeviceModelException.Problem {
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            scan(attrs.item(i).getNodeValue(), "attribute " + attrs.item(i).getNodeName() + " of <" + e.getTagName() + ">",
                    known, used);
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                collect(c, known, used);
            } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                scan(n.getNodeValue(), "text of <" + e.getTagName() + ">", known, used);
            }
        }
    }

    private static void scan(String text, String where, Set<String> known, Set<String> used)
            throws DeviceModelException.Problem {
        Matcher m = PLACEHOLDER.matcher(text);
        int last = 0;
        while (m.find()) {
            if (text.substring(last, m.start()).contains("${")) {
                throw new DeviceModelException.Problem("malformed placeholder in " + where + ": '" + text.strip() + "'");
            }
            if (!known.contains(m.group(1))) {
                throw new DeviceModelException.Problem("unknown value ${" + m.group(1) + "} in " + where
                        + "; known values are " + known);
            }
            used.add(m.group(1));
            last = m.end();
        }
        if (text.substring(last).contains("${")) {
            throw new DeviceModelException.Problem("malformed placeholder in " + where + ": '" + text.strip() + "'");
        }
    }

    /** The namespace of the entry element. */
    String namespace() {
        return root.getNamespaceURI() == null ? "" : root.getNamespaceURI();
    }

    /** The local name of the entry element. */
    String localName() {
        return root.getLocalName();
    }

    /** The placeholder names the template uses. */
    Set<String> placeholders() {
        return placeholders;
    }

    /**
     * Appends the rendered entry.
     *
     * @param values the value of each placeholder, null when the reservation has none
     * @throws IllegalArgumentException when a value holds a character XML cannot carry
     */
    void render(Function<String, String> values, StringBuilder out) {
        element(root, true, values, out);
    }

    private void element(Element e, boolean isRoot, Function<String, String> values, StringBuilder out) {
        if (isLeaf(e) && refersToAbsent(e, values)) {
            return;
        }
        out.append('<').append(e.getTagName());
        NamedNodeMap attrs = e.getAttributes();
        if (isRoot) {
            for (Map.Entry<String, String> d : declarations.entrySet()) {
                if (!e.hasAttribute(d.getKey())) {
                    out.append(' ').append(d.getKey()).append("=\"").append(Xml.escape(d.getValue())).append('"');
                }
            }
        }
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            out.append(' ').append(a.getName()).append("=\"").append(Xml.escape(substitute(a.getValue(), values)))
                    .append('"');
        }
        boolean hasElements = !isLeaf(e);
        StringBuilder inner = new StringBuilder();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                element(c, false, values, inner);
            } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                String t = n.getNodeValue();
                if (hasElements && t.isBlank()) {
                    continue;
                }
                inner.append(Xml.escape(substitute(t, values)));
            }
        }
        if (inner.isEmpty()) {
            out.append("/>");
        } else {
            out.append('>').append(inner).append("</").append(e.getTagName()).append('>');
        }
    }

    private static boolean isLeaf(Element e) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element) {
                return false;
            }
        }
        return true;
    }

    private static boolean refersToAbsent(Element leaf, Function<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(leaf.getTextContent());
        while (m.find()) {
            if (values.apply(m.group(1)) == null) {
                return true;
            }
        }
        return false;
    }

    private static String substitute(String text, Function<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder s = new StringBuilder();
        int last = 0;
        while (m.find()) {
            s.append(text, last, m.start());
            String v = values.apply(m.group(1));
            s.append(v == null ? "" : v);
            last = m.end();
        }
        return s.append(text, last, text.length()).toString();
    }
}
