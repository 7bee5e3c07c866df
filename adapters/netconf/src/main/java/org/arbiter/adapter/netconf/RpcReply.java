package org.arbiter.adapter.netconf;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.arbiter.core.adapter.OutcomeStatus;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * One {@code <rpc-reply>} (RFC 6241 section 4.2): {@code <ok/>}, {@code <data>}, or one or more
 * {@code <rpc-error>}s. Warnings ({@code error-severity warning}) are kept but do not make the
 * reply a failure.
 *
 * @param messageId the {@code message-id} attribute, or null when the server omitted it
 * @param ok true when the reply holds {@code <ok/>}
 * @param data the {@code <data>} element, or null
 * @param errors the {@code <rpc-error>}s, severity error first as sent
 */
record RpcReply(String messageId, boolean ok, Element data, List<RpcError> errors) {

    RpcReply {
        errors = List.copyOf(errors);
    }

    /** True when no rpc-error of severity error came back. */
    boolean succeeded() {
        return errors.stream().noneMatch(RpcError::isError);
    }

    /** The errors of severity error. */
    List<RpcError> failures() {
        return errors.stream().filter(RpcError::isError).toList();
    }

    /** A one-line summary of the failures, for outcome details. */
    String failureSummary() {
        return String.join("; ", failures().stream().map(RpcError::summary).toList());
    }

    /**
     * Reads a reply document.
     *
     * @throws Xml.MalformedXmlException when the document is not an rpc-reply in the base namespace
     */
    static RpcReply of(Document doc) throws Xml.MalformedXmlException {
        Element root = doc.getDocumentElement();
        if (!"rpc-reply".equals(root.getLocalName()) || !Xml.NETCONF_NS.equals(root.getNamespaceURI())) {
            throw new Xml.MalformedXmlException("expected an rpc-reply in " + Xml.NETCONF_NS + ", got <"
                    + root.getTagName() + "> in " + root.getNamespaceURI(), null);
        }
        String id = root.hasAttribute("message-id") ? root.getAttribute("message-id") : null;
        boolean ok = Xml.child(root, Xml.NETCONF_NS, "ok") != null;
        Element data = Xml.child(root, Xml.NETCONF_NS, "data");
        List<RpcError> errors = new ArrayList<>();
        for (Element e : Xml.children(root, Xml.NETCONF_NS, "rpc-error")) {
            errors.add(RpcError.of(e));
        }
        return new RpcReply(id, ok, data, errors);
    }

    /**
     * One {@code <rpc-error>} (RFC 6241 section 4.3) with the fields an operator needs.
     *
     * @param type error-type (transport, rpc, protocol, application)
     * @param tag error-tag (RFC 6241 appendix A)
     * @param severity error-severity (error or warning)
     * @param appTag error-app-tag, or empty
     * @param path error-path, or empty
     * @param message error-message, or empty
     * @param badElement error-info/bad-element, or empty
     */
    record RpcError(String type, String tag, String severity, String appTag, String path, String message,
                    String badElement) {

        /** Tags that mean the request itself was refused; retrying it unchanged will not help. */
        private static final Set<String> REFUSALS = Set.of("invalid-value", "too-big", "missing-attribute",
                "bad-attribute", "unknown-attribute", "missing-element", "bad-element", "unknown-element",
                "unknown-namespace", "access-denied", "data-exists", "data-missing", "operation-not-supported",
                "resource-denied");

        /** Tags that mean another session holds the datastore; retrying later may succeed. */
        private static final Set<String> CONTENTION = Set.of("lock-denied", "in-use");

        /** error-app-tags of operation-failed that are YANG constraint violations (RFC 7950 section 15). */
        private static final Set<String> CONSTRAINT_APP_TAGS = Set.of("data-not-unique", "too-many-elements",
                "too-few-elements", "must-violation", "instance-required", "missing-choice", "missing-instance");

        RpcError {
            type = nonNull(type);
            tag = nonNull(tag);
            severity = nonNull(severity);
            appTag = nonNull(appTag);
            path = nonNull(path);
            message = nonNull(message);
            badElement = nonNull(badElement);
        }

        private static String nonNull(String s) {
            return s == null ? "" : s;
        }

        static RpcError of(Element e) {
            Element info = Xml.child(e, Xml.NETCONF_NS, "error-info");
            String bad = info == null ? null : Xml.childText(info, Xml.NETCONF_NS, "bad-element");
            return new RpcError(
                    Xml.childText(e, Xml.NETCONF_NS, "error-type"),
                    Xml.childText(e, Xml.NETCONF_NS, "error-tag"),
                    Xml.childText(e, Xml.NETCONF_NS, "error-severity"),
                    Xml.childText(e, Xml.NETCONF_NS, "error-app-tag"),
                    Xml.childText(e, Xml.NETCONF_NS, "error-path"),
                    Xml.childText(e, Xml.NETCONF_NS, "error-message"),
                    bad);
        }

        /** True unless the severity is warning. */
        boolean isError() {
            return !"warning".equals(severity);
        }

        /** True when another session holds the lock or the datastore. */
        boolean isContention() {
            return CONTENTION.contains(tag);
        }

        /**
         * The outcome this error gives the entries it concerns: a refused request is
         * {@link OutcomeStatus#REJECTED} (bad value, unknown element, access-denied,
         * resource-denied, a YANG constraint); {@code lock-denied} and {@code in-use} are
         * {@link OutcomeStatus#FAILED} and retryable; anything else is {@link OutcomeStatus#FAILED}.
         */
        OutcomeStatus status() {
            if (REFUSALS.contains(tag)) {
                return OutcomeStatus.REJECTED;
            }
            if ("operation-failed".equals(tag) && CONSTRAINT_APP_TAGS.contains(appTag)) {
                return OutcomeStatus.REJECTED;
            }
            return OutcomeStatus.FAILED;
        }

        /** "rpc-error invalid-value (not-in-range) at /path: value not in range [retryable]". */
        String summary() {
            StringBuilder s = new StringBuilder("rpc-error ").append(tag.isEmpty() ? "(no error-tag)" : tag);
            if (!appTag.isEmpty()) {
                s.append(" (").append(appTag).append(')');
            }
            if (!path.isEmpty()) {
                s.append(" at ").append(path);
            }
            if (!badElement.isEmpty()) {
                s.append(" bad-element ").append(badElement);
            }
            if (!message.isEmpty()) {
                s.append(": ").append(message);
            }
            if (isContention()) {
                s.append(" [retryable: another session holds the datastore]");
            }
            return s.toString();
        }
    }
}
