package org.arbiter.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rule conditions: CEL expressions over the request model, compiled once per policy load and
 * evaluated per flow.
 *
 * <p>The request model is a fixed set of typed variables with qualified names
 * ({@code flow.class}, {@code subscriber.groups}...), declared here and documented in
 * docs/policy.md. Declaring them with exact types lets the checker reject a misspelt name or a
 * comparison of a number with a text at load time, with its position. Unspecified values are
 * {@code 0}, {@code 0.0} or {@code ""}, never absent, so an evaluation cannot fail for a missing
 * field.
 *
 * <p>The compiler and runtime are built once and are thread-safe, as are the compiled programs.
 */
final class Conditions {

    static final String FLOW_COMPONENT = "flow.component";
    static final String FLOW_NUMBER = "flow.number";
    static final String FLOW_MEDIA = "flow.media";
    static final String FLOW_CLASS = "flow.class";
    static final String FLOW_UL_BPS = "flow.ul_bps";
    static final String FLOW_DL_BPS = "flow.dl_bps";
    static final String FLOW_LATENCY_MS = "flow.latency_ms";
    static final String FLOW_JITTER_MS = "flow.jitter_ms";
    static final String FLOW_LOSS_PERCENT = "flow.loss_percent";
    static final String FLOW_SECURITY = "flow.security";
    static final String FLOW_MODIFIED = "flow.modified";
    static final String FLOW_MODIFICATIONS = "flow.modifications";
    static final String FLOW_PEER = "flow.peer";
    static final String SUBSCRIBER_ID = "subscriber.id";
    static final String SUBSCRIBER_IDS = "subscriber.ids";
    static final String SUBSCRIBER_ADDRESS = "subscriber.address";
    static final String SUBSCRIBER_GROUPS = "subscriber.groups";
    static final String SUBSCRIBER_TIER = "subscriber.tier";
    static final String SUBSCRIBER_KNOWN = "subscriber.known";
    static final String ORIGIN_HOST = "origin.host";
    static final String ORIGIN_REALM = "origin.realm";
    static final String REQUEST_APPLICATION = "request.application";
    static final String REQUEST_FLOWS = "request.flows";
    static final String REQUEST_CLASSES = "request.classes";
    static final String TIME_HOUR = "time.hour";
    static final String TIME_MINUTE = "time.minute";
    static final String TIME_WEEKDAY = "time.weekday";
    static final String TIME_DAY = "time.day";

    private static final CelType STRINGS = ListType.create(SimpleType.STRING);

    /** Every variable of the request model and its CEL type, in documentation order. */
    static final Map<String, CelType> VARIABLES = orderedVariables();

    private static final CelOptions OPTIONS = CelOptions.current().build();
    private static final CelCompiler COMPILER = compiler();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
    private static final Pattern UNDECLARED = Pattern.compile("undeclared reference to '([^']*)'.*");
    private static final Pattern QUALIFIED = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private Conditions() {}

    /**
     * A problem in a condition, positioned inside the expression text.
     *
     * @param line 1-based line within the expression
     * @param column 0-based column within that line
     * @param message what is wrong
     */
    record Issue(int line, int column, String message) {}

    /**
     * The outcome of compiling one condition.
     *
     * @param condition what rules evaluate: the direct translation when there is one, else the CEL
     *     program; {@code null} when there are issues
     * @param program the CEL program, or {@code null} when there are issues
     * @param direct true when {@code condition} runs without the CEL interpreter
     * @param constant {@code Boolean.TRUE}/{@code FALSE} when the expression is a literal, else {@code null}
     * @param issues what is wrong, empty when it compiled
     */
    record Compiled(Condition condition, CelRuntime.Program program, boolean direct, Boolean constant, List<Issue> issues) {

        static Compiled failed(List<Issue> issues) {
            return new Compiled(null, null, false, null, issues);
        }
    }

    /** The names a condition's literals may refer to, for cross-reference checks. */
    record Names(Set<String> classes, Set<String> groups, Set<String> tiers, Set<String> media) {}

    /** Compiles and type-checks a condition (it must be a bool), then checks its literal names. */
    static Compiled compile(String text, Names names) {
        CelValidationResult result = COMPILER.compile(text);
        if (result.hasError()) {
            List<Issue> issues = new ArrayList<>();
            for (CelIssue i : result.getErrors()) {
                CelSourceLocation loc = i.getSourceLocation();
                int line = Math.max(loc.getLine(), 1);
                int column = Math.max(loc.getColumn(), 0);
                issues.add(new Issue(line, column, explain(i.getMessage(), text, line, column)));
            }
            return Compiled.failed(issues);
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            return Compiled.failed(List.of(new Issue(1, 0, e.getMessage())));
        }
        List<Issue> issues = checkLiterals(ast, names);
        if (!issues.isEmpty()) {
            return Compiled.failed(issues);
        }
        Boolean constant = ast.getExpr().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && ast.getExpr().constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE
                ? ast.getExpr().constant().booleanValue() : null;
        CelRuntime.Program program;
        try {
            program = RUNTIME.createProgram(ast);
        } catch (CelEvaluationException e) {
            return Compiled.failed(List.of(new Issue(1, 0, "cannot be evaluated: " + e.getMessage())));
        }
        Condition direct = DirectConditions.translate(ast);
        Condition condition = direct != null ? direct : facts -> Boolean.TRUE.equals(program.eval(facts));
        return new Compiled(condition, program, direct != null, constant, List.of());
    }

    /**
     * Finds names used as literals next to a variable that only takes defined names: a class
     * compared with {@code flow.class}, a group tested with {@code in subscriber.groups}, and the
     * like. A misspelt name there would make the rule silently never match.
     */
    private static List<Issue> checkLiterals(CelAbstractSyntaxTree ast, Names names) {
        List<Issue> issues = new ArrayList<>();
        CelNavigableAst nav = CelNavigableAst.fromAst(ast);
        nav.getRoot().allNodes().filter(n -> n.getKind() == CelExpr.ExprKind.Kind.CALL).forEach(n -> {
            CelExpr.CelCall call = n.expr().call();
            String f = call.function();
            if (!f.equals("_==_") && !f.equals("_!=_") && !f.equals("@in")) {
                return;
            }
            for (CelExpr arg : call.args()) {
                String var = variableOf(ast, arg);
                if (var == null) {
                    continue;
                }
                for (CelExpr other : call.args()) {
                    if (other != arg) {
                        checkNames(ast, var, other, names, issues);
                    }
                }
            }
        });
        return issues;
    }

    private static void checkNames(CelAbstractSyntaxTree ast, String var, CelExpr e, Names names, List<Issue> issues) {
        if (e.getKind() == CelExpr.ExprKind.Kind.LIST) {
            for (CelExpr el : e.list().elements()) {
                checkNames(ast, var, el, names, issues);
            }
            return;
        }
        if (e.getKind() != CelExpr.ExprKind.Kind.CONSTANT || e.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
            return;
        }
        String value = e.constant().stringValue();
        Set<String> known;
        String what;
        switch (var) {
            case FLOW_CLASS, REQUEST_CLASSES -> {
                known = names.classes();
                what = "class";
                if (value.isEmpty()) {
                    return;
                }
            }
            case SUBSCRIBER_GROUPS -> {
                known = names.groups();
                what = "group";
            }
            case SUBSCRIBER_TIER -> {
                known = names.tiers();
                what = "tier";
                if (value.isEmpty()) {
                    return;
                }
            }
            case FLOW_MEDIA -> {
                known = names.media();
                what = "media type";
                if (value.isEmpty()) {
                    return;
                }
            }
            default -> {
                return;
            }
        }
        if (!known.contains(value)) {
            int offset = ast.getSource().getPositionsMap().getOrDefault(e.id(), 0);
            Optional<CelSourceLocation> loc = ast.getSource().getOffsetLocation(offset);
            int line = loc.map(CelSourceLocation::getLine).orElse(1);
            int column = loc.map(CelSourceLocation::getColumn).orElse(0);
            issues.add(new Issue(line, column, var + " is compared with " + what + " '" + value + "', which is not defined; "
                    + (known.isEmpty() ? "no " + what + " is defined" : "defined: " + String.join(", ", new TreeSet<>(known)))));
        }
    }

    private static String variableOf(CelAbstractSyntaxTree ast, CelExpr e) {
        if (e.getKind() != CelExpr.ExprKind.Kind.SELECT && e.getKind() != CelExpr.ExprKind.Kind.IDENT) {
            return null;
        }
        return ast.getReference(e.id()).map(CelReference::name).orElse(null);
    }

    /** Rewrites the checker's "undeclared reference to 'flow'" into the name that was written and the ones that exist. */
    private static String explain(String message, String text, int line, int column) {
        Matcher m = UNDECLARED.matcher(message);
        if (!m.matches()) {
            int candidates = message.indexOf(" (candidates:");
            return candidates > 0 ? message.substring(0, candidates) : message;
        }
        String[] lines = text.split("\n", -1);
        String written = m.group(1);
        if (line - 1 < lines.length && column < lines[line - 1].length()) {
            Matcher q = QUALIFIED.matcher(lines[line - 1]);
            if (q.find(column) && q.start() == column) {
                written = q.group();
            }
        }
        String root = written.contains(".") ? written.substring(0, written.indexOf('.')) : written;
        List<String> same = VARIABLES.keySet().stream().filter(v -> v.startsWith(root + ".")).toList();
        if (same.isEmpty()) {
            Set<String> roots = new TreeSet<>();
            VARIABLES.keySet().forEach(v -> roots.add(v.substring(0, v.indexOf('.'))));
            return "unknown name '" + written + "'; the request model has: " + String.join(", ", roots) + " (see docs/policy.md)";
        }
        String typed = written;
        String guess = same.stream().filter(v -> distance(v, typed) <= 2).findFirst().map(v -> "did you mean '" + v + "'? ").orElse("");
        return "unknown variable '" + written + "'; " + guess + root + " has: " + String.join(", ", same);
    }

    /** Levenshtein distance, for "did you mean". */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Map<String, CelType> orderedVariables() {
        Map<String, CelType> v = new java.util.LinkedHashMap<>();
        v.put(FLOW_COMPONENT, SimpleType.INT);
        v.put(FLOW_NUMBER, SimpleType.INT);
        v.put(FLOW_MEDIA, SimpleType.STRING);
        v.put(FLOW_CLASS, SimpleType.STRING);
        v.put(FLOW_UL_BPS, SimpleType.INT);
        v.put(FLOW_DL_BPS, SimpleType.INT);
        v.put(FLOW_LATENCY_MS, SimpleType.INT);
        v.put(FLOW_JITTER_MS, SimpleType.INT);
        v.put(FLOW_LOSS_PERCENT, SimpleType.DOUBLE);
        v.put(FLOW_SECURITY, SimpleType.STRING);
        v.put(FLOW_MODIFIED, SimpleType.BOOL);
        v.put(FLOW_MODIFICATIONS, STRINGS);
        v.put(FLOW_PEER, SimpleType.STRING);
        v.put(SUBSCRIBER_ID, SimpleType.STRING);
        v.put(SUBSCRIBER_IDS, STRINGS);
        v.put(SUBSCRIBER_ADDRESS, SimpleType.STRING);
        v.put(SUBSCRIBER_GROUPS, STRINGS);
        v.put(SUBSCRIBER_TIER, SimpleType.STRING);
        v.put(SUBSCRIBER_KNOWN, SimpleType.BOOL);
        v.put(ORIGIN_HOST, SimpleType.STRING);
        v.put(ORIGIN_REALM, SimpleType.STRING);
        v.put(REQUEST_APPLICATION, SimpleType.STRING);
        v.put(REQUEST_FLOWS, SimpleType.INT);
        v.put(REQUEST_CLASSES, STRINGS);
        v.put(TIME_HOUR, SimpleType.INT);
        v.put(TIME_MINUTE, SimpleType.INT);
        v.put(TIME_WEEKDAY, SimpleType.INT);
        v.put(TIME_DAY, SimpleType.STRING);
        return java.util.Collections.unmodifiableMap(v);
    }

    private static CelCompiler compiler() {
        CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setResultType(SimpleType.BOOL);
        VARIABLES.forEach(b::addVar);
        return b.build();
    }
}
