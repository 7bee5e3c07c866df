package org.arbiter.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Runs the conditions operators write most, comparisons of request variables with literals joined
 * by {@code &&}, {@code ||} and {@code !}, as a tree of Java lambdas instead of in the CEL
 * interpreter: a decision against fifty rules then costs microseconds.
 *
 * <p>The translation works on the <em>type-checked</em> CEL tree, so the meaning is CEL's: every
 * operand type is known and the same on both sides of an operator, and the subset cannot raise an
 * evaluation error (no arithmetic, no conversions, no regular expressions). What is outside the
 * subset (arithmetic, {@code matches}, {@code size}, macros such as {@code exists}, string
 * ordering, the conditional operator...) makes {@link #translate} return {@code null}, and the
 * rule runs in the CEL interpreter. {@code DirectConditionsTest} checks both agree.
 */
final class DirectConditions {

    private static final CelType STRINGS = ListType.create(SimpleType.STRING);

    private DirectConditions() {}

    /** The condition as Java lambdas, or {@code null} when it uses anything outside the subset. */
    static Condition translate(CelAbstractSyntaxTree ast) {
        Translator t = new Translator(ast);
        Predicate<RequestFacts> p = t.bool(ast.getExpr());
        return p == null ? null : new Direct(p, t.requiredFlowClass(ast.getExpr()));
    }

    /**
     * A translated condition, with the {@code flow.class} it requires when it is a conjunction
     * with {@code flow.class == "c"} among its terms: a flow of another class fails it without a
     * call into the lambdas (the subset raises no error, so skipping it changes nothing).
     */
    private record Direct(Predicate<RequestFacts> predicate, String requiredFlowClass) implements Condition {

        @Override
        public boolean test(RequestFacts facts) {
            return predicate.test(facts);
        }
    }

    private record Translator(CelAbstractSyntaxTree ast) {

        /** The class of a {@code flow.class == "c"} term of the top-level conjunction, or {@code null}. */
        String requiredFlowClass(CelExpr e) {
            if (e.getKind() != CelExpr.ExprKind.Kind.CALL || e.call().target().isPresent()) {
                return null;
            }
            CelExpr.CelCall c = e.call();
            if (c.function().equals("_&&_")) {
                for (CelExpr a : c.args()) {
                    String cls = requiredFlowClass(a);
                    if (cls != null) {
                        return cls;
                    }
                }
                return null;
            }
            if (!c.function().equals("_==_") || c.args().size() != 2) {
                return null;
            }
            CelExpr a = c.args().get(0);
            CelExpr b = c.args().get(1);
            if (isStringConstant(b) && Conditions.FLOW_CLASS.equals(variable(a, SimpleType.STRING))) {
                return b.constant().stringValue();
            }
            if (isStringConstant(a) && Conditions.FLOW_CLASS.equals(variable(b, SimpleType.STRING))) {
                return a.constant().stringValue();
            }
            return null;
        }

        private static boolean isStringConstant(CelExpr e) {
            return e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.STRING_VALUE;
        }

        Predicate<RequestFacts> bool(CelExpr e) {
            switch (e.getKind()) {
                case CONSTANT -> {
                    if (e.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE) {
                        boolean c = e.constant().booleanValue();
                        return f -> c;
                    }
                    return null;
                }
                case IDENT, SELECT -> {
                    String v = variable(e, SimpleType.BOOL);
                    return v == null ? null : RequestFacts.boolVariable(v);
                }
                case CALL -> {
                    return call(e.call());
                }
                default -> {
                    return null;
                }
            }
        }

        private Predicate<RequestFacts> call(CelExpr.CelCall c) {
            List<CelExpr> args = c.args();
            if (c.target().isPresent()) {
                return member(c.function(), c.target().get(), args);
            }
            switch (c.function()) {
                case "_&&_", "_||_" -> {
                    boolean and = c.function().equals("_&&_");
                    Predicate<RequestFacts> acc = null;
                    for (CelExpr a : args) {
                        Predicate<RequestFacts> p = bool(a);
                        if (p == null) {
                            return null;
                        }
                        acc = acc == null ? p : and ? acc.and(p) : acc.or(p);
                    }
                    return acc;
                }
                case "!_" -> {
                    Predicate<RequestFacts> p = args.size() == 1 ? bool(args.getFirst()) : null;
                    return p == null ? null : p.negate();
                }
                case "_==_", "_!=_" -> {
                    Predicate<RequestFacts> eq = args.size() == 2 ? equality(args.get(0), args.get(1)) : null;
                    return eq == null ? null : c.function().equals("_==_") ? eq : eq.negate();
                }
                case "_<_", "_<=_", "_>_", "_>=_" -> {
                    return args.size() == 2 ? ordering(c.function(), args.get(0), args.get(1)) : null;
                }
                case "@in" -> {
                    return args.size() == 2 ? membership(args.get(0), args.get(1)) : null;
                }
                default -> {
                    return null;
                }
            }
        }

        private Predicate<RequestFacts> member(String function, CelExpr target, List<CelExpr> args) {
            if (args.size() != 1) {
                return null;
            }
            Function<RequestFacts, String> s = string(target);
            Function<RequestFacts, String> a = string(args.getFirst());
            if (s == null || a == null) {
                return null;
            }
            return switch (function) {
                case "startsWith" -> f -> s.apply(f).startsWith(a.apply(f));
                case "endsWith" -> f -> s.apply(f).endsWith(a.apply(f));
                case "contains" -> f -> s.apply(f).contains(a.apply(f));
                default -> null;
            };
        }

        // A variable compared with a literal is what rules hold most: those comparisons take the
        // literal as a captured value rather than through a function of the facts, and a string
        // variable is read from its field, sparing two calls per comparison.

        private Predicate<RequestFacts> equality(CelExpr a, CelExpr b) {
            CelType t = sameType(a, b);
            if (SimpleType.INT.equals(t)) {
                ToLongFunction<RequestFacts> x = longValue(a);
                ToLongFunction<RequestFacts> y = longValue(b);
                if (x == null || y == null) {
                    return null;
                }
                if (isConstant(b)) {
                    long c = b.constant().int64Value();
                    return f -> x.applyAsLong(f) == c;
                }
                if (isConstant(a)) {
                    long c = a.constant().int64Value();
                    return f -> c == y.applyAsLong(f);
                }
                return f -> x.applyAsLong(f) == y.applyAsLong(f);
            }
            if (SimpleType.DOUBLE.equals(t)) {
                ToDoubleFunction<RequestFacts> x = doubleValue(a);
                ToDoubleFunction<RequestFacts> y = doubleValue(b);
                return x == null || y == null ? null : f -> x.applyAsDouble(f) == y.applyAsDouble(f);
            }
            if (SimpleType.STRING.equals(t)) {
                Function<RequestFacts, String> x = string(a);
                Function<RequestFacts, String> y = string(b);
                if (x == null || y == null) {
                    return null;
                }
                if (isConstant(b) && !isConstant(a)) {
                    return RequestFacts.stringEquals(variable(a, SimpleType.STRING), b.constant().stringValue());
                }
                if (isConstant(a) && !isConstant(b)) {
                    return RequestFacts.stringEquals(variable(b, SimpleType.STRING), a.constant().stringValue());
                }
                return f -> x.apply(f).equals(y.apply(f));
            }
            if (SimpleType.BOOL.equals(t)) {
                Predicate<RequestFacts> x = bool(a);
                Predicate<RequestFacts> y = bool(b);
                return x == null || y == null ? null : f -> x.test(f) == y.test(f);
            }
            return null;
        }

        private Predicate<RequestFacts> ordering(String op, CelExpr a, CelExpr b) {
            CelType t = sameType(a, b);
            if (SimpleType.INT.equals(t)) {
                ToLongFunction<RequestFacts> x = longValue(a);
                ToLongFunction<RequestFacts> y = longValue(b);
                if (x == null || y == null) {
                    return null;
                }
                if (isConstant(b)) {
                    long c = b.constant().int64Value();
                    return switch (op) {
                        case "_<_" -> f -> x.applyAsLong(f) < c;
                        case "_<=_" -> f -> x.applyAsLong(f) <= c;
                        case "_>_" -> f -> x.applyAsLong(f) > c;
                        default -> f -> x.applyAsLong(f) >= c;
                    };
                }
                if (isConstant(a)) {
                    long c = a.constant().int64Value();
                    return switch (op) {
                        case "_<_" -> f -> c < y.applyAsLong(f);
                        case "_<=_" -> f -> c <= y.applyAsLong(f);
                        case "_>_" -> f -> c > y.applyAsLong(f);
                        default -> f -> c >= y.applyAsLong(f);
                    };
                }
                return switch (op) {
                    case "_<_" -> f -> x.applyAsLong(f) < y.applyAsLong(f);
                    case "_<=_" -> f -> x.applyAsLong(f) <= y.applyAsLong(f);
                    case "_>_" -> f -> x.applyAsLong(f) > y.applyAsLong(f);
                    default -> f -> x.applyAsLong(f) >= y.applyAsLong(f);
                };
            }
            if (SimpleType.DOUBLE.equals(t)) {
                ToDoubleFunction<RequestFacts> x = doubleValue(a);
                ToDoubleFunction<RequestFacts> y = doubleValue(b);
                if (x == null || y == null) {
                    return null;
                }
                return switch (op) {
                    case "_<_" -> f -> x.applyAsDouble(f) < y.applyAsDouble(f);
                    case "_<=_" -> f -> x.applyAsDouble(f) <= y.applyAsDouble(f);
                    case "_>_" -> f -> x.applyAsDouble(f) > y.applyAsDouble(f);
                    default -> f -> x.applyAsDouble(f) >= y.applyAsDouble(f);
                };
            }
            return null;
        }

        private Predicate<RequestFacts> membership(CelExpr element, CelExpr list) {
            Function<RequestFacts, String> s = string(element);
            if (s == null) {
                return null;
            }
            if (list.getKind() == CelExpr.ExprKind.Kind.LIST) {
                Set<String> values = new HashSet<>();
                for (CelExpr item : list.list().elements()) {
                    if (item.getKind() != CelExpr.ExprKind.Kind.CONSTANT
                            || item.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
                        return null;
                    }
                    values.add(item.constant().stringValue());
                }
                Set<String> frozen = Set.copyOf(values);
                return f -> frozen.contains(s.apply(f));
            }
            String v = variable(list, STRINGS);
            if (v == null) {
                return null;
            }
            Function<RequestFacts, List<String>> l = RequestFacts.listVariable(v);
            if (isConstant(element)) {
                String c = element.constant().stringValue();
                return f -> l.apply(f).contains(c);
            }
            return f -> l.apply(f).contains(s.apply(f));
        }

        private ToLongFunction<RequestFacts> longValue(CelExpr e) {
            if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.INT64_VALUE) {
                long c = e.constant().int64Value();
                return f -> c;
            }
            String v = variable(e, SimpleType.INT);
            return v == null ? null : RequestFacts.longVariable(v);
        }

        private ToDoubleFunction<RequestFacts> doubleValue(CelExpr e) {
            if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.DOUBLE_VALUE) {
                double c = e.constant().doubleValue();
                return f -> c;
            }
            String v = variable(e, SimpleType.DOUBLE);
            return v == null ? null : RequestFacts.doubleVariable(v);
        }

        private Function<RequestFacts, String> string(CelExpr e) {
            if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                String c = e.constant().stringValue();
                return f -> c;
            }
            String v = variable(e, SimpleType.STRING);
            return v == null ? null : RequestFacts.stringVariable(v);
        }

        /** True for a literal (the type checker has made sure it is of the operator's type). */
        private static boolean isConstant(CelExpr e) {
            return e.getKind() == CelExpr.ExprKind.Kind.CONSTANT;
        }

        /** The request-model variable the expression names, when it has the given type; else {@code null}. */
        private String variable(CelExpr e, CelType type) {
            if (e.getKind() != CelExpr.ExprKind.Kind.IDENT && e.getKind() != CelExpr.ExprKind.Kind.SELECT) {
                return null;
            }
            String name = ast.getReference(e.id()).map(CelReference::name).orElse(null);
            return name != null && type.equals(Conditions.VARIABLES.get(name)) ? name : null;
        }

        /** The checked type both operands share, or {@code null}. */
        private CelType sameType(CelExpr a, CelExpr b) {
            CelType ta = ast.getType(a.id()).orElse(null);
            CelType tb = ast.getType(b.id()).orElse(null);
            return ta != null && ta.equals(tb) ? ta : null;
        }
    }
}
