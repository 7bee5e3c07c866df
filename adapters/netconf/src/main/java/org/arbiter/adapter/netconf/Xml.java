package org.arbiter.adapter.netconf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The XML both ends of a NETCONF session speak: a hardened, namespace-aware DOM parser (no DTDs,
 * no external entities: device replies are untrusted input), character escaping for the XML this
 * adapter writes, and child lookup by namespace and local name.
 *
 * <p><b>Threading.</b> Stateless; every parse uses its own {@link DocumentBuilder}.
 */
final class Xml {

    /** The NETCONF base namespace (RFC 6241). */
    static final String NETCONF_NS = "urn:ietf:params:xml:ns:netconf:base:1.0";

    private static final DocumentBuilderFactory FACTORY = factory();

    private Xml() {
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setIgnoringComments(true);
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks a hardening feature", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    /** Thrown for text that is not well-formed XML; the message gives line and column. */
    static final class MalformedXmlException extends Exception {
        MalformedXmlException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Parses a message; leading whitespace before the XML declaration is tolerated. */
    static Document parse(byte[] octets) throws MalformedXmlException {
        int start = 0;
        while (start < octets.length && isXmlSpace(octets[start])) {
            start++;
        }
        return parse(new InputSource(new ByteArrayInputStream(octets, start, octets.length - start)));
    }

    /** Parses text (templates). */
    static Document parse(String text) throws MalformedXmlException {
        return parse(new InputSource(new StringReader(text)));
    }

    private static Document parse(InputSource source) throws MalformedXmlException {
        DocumentBuilder b;
        synchronized (FACTORY) {
            try {
                b = FACTORY.newDocumentBuilder();
            } catch (ParserConfigurationException e) {
                throw new IllegalStateException("cannot create an XML parser", e);
            }
        }
        b.setErrorHandler(SILENT);
        try {
            return b.parse(source);
        } catch (SAXParseException e) {
            throw new MalformedXmlException("line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ": "
                    + e.getMessage(), e);
        } catch (SAXException | IOException e) {
            throw new MalformedXmlException(String.valueOf(e.getMessage()), e);
        }
    }

    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private static boolean isXmlSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    /**
     * Escapes text for character data and attribute values: {@code & < > " '} become entity
     * references, so a value can never close an element or hold a framing marker. Characters XML
     * 1.0 does not allow (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are refused.
     *
     * @throws IllegalArgumentException naming the offending character's position
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                        throw new IllegalArgumentException("character U+" + String.format("%04X", (int) c)
                                + " at offset " + i + " cannot be written in XML");
                    }
                    if (Character.isSurrogate(c)) {
                        if (Character.isHighSurrogate(c) && i + 1 < text.length()
                                && Character.isLowSurrogate(text.charAt(i + 1))) {
                            out.append(c).append(text.charAt(++i));
                            continue;
                        }
                        throw new IllegalArgumentException("lone surrogate at offset " + i + " cannot be written in XML");
                    }
                    out.append(c);
                }
            }
        }
        return out.toString();
    }

    /** The element children of {@code parent} with this namespace and local name, in order. */
    static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())
                    && namespace.equals(e.getNamespaceURI() == null ? "" : e.getNamespaceURI())) {
                found.add(e);
            }
        }
        return found;
    }

    /** The first element child with this namespace and local name, or null. */
    static Element child(Element parent, String namespace, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())
                    && namespace.equals(e.getNamespaceURI() == null ? "" : e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }

    /** The trimmed text of a child element, or null when the child is absent. */
    static String childText(Element parent, String namespace, String localName) {
        Element c = child(parent, namespace, localName);
        return c == null ? null : c.getTextContent().strip();
    }
}
