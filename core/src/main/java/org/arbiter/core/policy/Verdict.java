package org.arbiter.core.policy;

/** The three outcomes of a policy decision. */
public enum Verdict {
    /** Grant what was asked. */
    ACCEPT,
    /** Grant less than was asked (the "negotiating message with a modification"). */
    ACCEPT_MODIFIED,
    /** Grant nothing. */
    REJECT
}
