package org.arbiter.policy;

import dev.cel.runtime.CelEvaluationException;

/**
 * A compiled rule condition. Two implementations: conditions written in the common subset of CEL
 * (comparisons, {@code &&}, {@code ||}, {@code !}, {@code in}, {@code startsWith},
 * {@code endsWith}, {@code contains}) run as a tree of Java lambdas built by
 * {@link DirectConditions}; anything else runs in the CEL interpreter. Both are thread-safe.
 */
@FunctionalInterface
interface Condition {

    /** Whether the condition holds for the flow the facts point at. */
    boolean test(RequestFacts facts) throws CelEvaluationException;

    /**
     * The {@code flow.class} a flow must have for the condition to hold, or {@code null}: when
     * the flow's class is another, {@link #test} is false without being called, so it must then be
     * false and raise no error.
     */
    default String requiredFlowClass() {
        return null;
    }
}
