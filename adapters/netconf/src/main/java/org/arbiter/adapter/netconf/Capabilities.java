package org.arbiter.adapter.netconf;

import java.util.LinkedHashSet;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What a server advertised in its {@code <hello>} (RFC 6241 section 8.1): the capability URIs and
 * the session id. Only the URIs are trusted, not the {@code features=} list of the ietf-netconf
 * module capability (netconfd lists features there that it does not advertise as capabilities).
 *
 * @param uris the capability URIs as sent
 * @param sessionId the server's session-id, or empty
 */
record Capabilities(Set<String> uris, String sessionId) {

    static final String BASE_10 = "urn:ietf:params:netconf:base:1.0";
    static final String BASE_11 = "urn:ietf:params:netconf:base:1.1";
    static final String CANDIDATE = "urn:ietf:params:netconf:capability:candidate:1.0";
    static final String CONFIRMED_COMMIT_10 = "urn:ietf:params:netconf:capability:confirmed-commit:1.0";
    static final String CONFIRMED_COMMIT_11 = "urn:ietf:params:netconf:capability:confirmed-commit:1.1";
    static final String WRITABLE_RUNNING = "urn:ietf:params:netconf:capability:writable-running:1.0";
    static final String ROLLBACK_ON_ERROR = "urn:ietf:params:netconf:capability:rollback-on-error:1.0";

    Capabilities {
        uris = Set.copyOf(uris);
        sessionId = sessionId == null ? "" : sessionId;
    }

    /**
     * Reads a {@code <hello>} document.
     *
     * @throws Xml.MalformedXmlException when it is not a hello in the base namespace
     */
    static Capabilities ofHello(Document doc) throws Xml.MalformedXmlException {
        Element root = doc.getDocumentElement();
        if (!"hello".equals(root.getLocalName()) || !Xml.NETCONF_NS.equals(root.getNamespaceURI())) {
            throw new Xml.MalformedXmlException("expected a hello in " + Xml.NETCONF_NS + ", got <" + root.getTagName()
                    + "> in " + root.getNamespaceURI(), null);
        }
        Element caps = Xml.child(root, Xml.NETCONF_NS, "capabilities");
        if (caps == null) {
            throw new Xml.MalformedXmlException("hello without capabilities", null);
        }
        Set<String> uris = new LinkedHashSet<>();
        for (Element c : Xml.children(caps, Xml.NETCONF_NS, "capability")) {
            uris.add(c.getTextContent().strip());
        }
        return new Capabilities(uris, Xml.childText(root, Xml.NETCONF_NS, "session-id"));
    }

    boolean has(String uri) {
        return uris.contains(uri);
    }

    boolean base11() {
        return has(BASE_11);
    }

    boolean candidate() {
        return has(CANDIDATE);
    }

    boolean confirmedCommit() {
        return has(CONFIRMED_COMMIT_10) || has(CONFIRMED_COMMIT_11);
    }

    boolean writableRunning() {
        return has(WRITABLE_RUNNING);
    }

    boolean rollbackOnError() {
        return has(ROLLBACK_ON_ERROR);
    }

    /**
     * True when the YANG module is advertised, either as a base:1.0 module capability
     * ({@code ...?module=NAME&...}) or announced through the yang-library capability (then the
     * module list is not in the hello, and this answers true).
     */
    boolean advertisesModule(String module) {
        for (String u : uris) {
            int q = u.indexOf('?');
            if (q < 0) {
                continue;
            }
            for (String param : u.substring(q + 1).split("&")) {
                if (param.equals("module=" + module)) {
                    return true;
                }
            }
        }
        return uris.stream().anyMatch(u -> u.startsWith("urn:ietf:params:netconf:capability:yang-library:1.1"));
    }
}
