package org.arbiter.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.function.Function;
import org.arbiter.core.archfixture.WrongWay;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of ARCHITECTURE.md §1, checked on the compiled classes of every module
 * (the build's enforcer rules check the same on the dependency graph).
 */
class ArchitectureTest {

    private static JavaClasses production;

    static final ArchRule CORE_DEPENDS_ON_NOTHING = classes().that().resideInAPackage("org.arbiter.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("org.arbiter.core..", "java..")
            .as("core depends only on itself and the JDK");

    static final ArchRule NOTHING_DEPENDS_ON_SERVER = noClasses().that().resideOutsideOfPackage("org.arbiter.server..")
            .should().dependOnClassesThat().resideInAPackage("org.arbiter.server..")
            .as("server is the only composition root: nothing depends on it");

    static final ArchRule ADAPTERS_STAY_OUT_OF_THE_SERVER_SIDE = noClasses().that().resideInAPackage("org.arbiter.adapter..")
            .should().dependOnClassesThat().resideInAnyPackage("org.arbiter.ledger..", "org.arbiter.diameter..",
                    "org.arbiter.policy..", "org.arbiter.server..")
            .as("adapters depend only on core's SPI");

    /** A class must not depend on a class of another module, as {@code moduleOf} names modules. */
    static ArchCondition<JavaClass> stayInsideItsModule(Function<String, String> moduleOf, String allowed) {
        return new ArchCondition<>("not depend on a sibling module") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                String own = moduleOf.apply(c.getPackageName());
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    String other = moduleOf.apply(d.getTargetClass().getPackageName());
                    if (other != null && own != null && !other.equals(own) && !other.equals(allowed)) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }

    static String frontEnd(String pkg) {
        for (String m : new String[] {"org.arbiter.ledger", "org.arbiter.diameter", "org.arbiter.policy"}) {
            if (pkg.equals(m) || pkg.startsWith(m + ".")) {
                return m;
            }
        }
        return null;
    }

    static String adapter(String pkg) {
        if (!pkg.startsWith("org.arbiter.adapter.")) {
            return null;
        }
        String rest = pkg.substring("org.arbiter.adapter.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    static final ArchRule FRONT_ENDS_DO_NOT_KNOW_EACH_OTHER = classes()
            .that().resideInAnyPackage("org.arbiter.ledger..", "org.arbiter.diameter..", "org.arbiter.policy..")
            .should(stayInsideItsModule(ArchitectureTest::frontEnd, null))
            .as("policy, ledger and diameter do not depend on each other");

    static final ArchRule FRONT_ENDS_DO_NOT_USE_ADAPTERS = noClasses()
            .that().resideInAnyPackage("org.arbiter.ledger..", "org.arbiter.diameter..", "org.arbiter.policy..")
            .should().dependOnClassesThat().resideInAPackage("org.arbiter.adapter..")
            .as("policy, ledger and diameter never use an adapter");

    static final ArchRule ADAPTERS_DO_NOT_KNOW_EACH_OTHER = classes().that().resideInAPackage("org.arbiter.adapter..")
            .should(stayInsideItsModule(ArchitectureTest::adapter, "tck"))
            .as("an adapter never depends on another adapter");

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.arbiter");
    }

    @Test
    void coreDependsOnNothing() {
        CORE_DEPENDS_ON_NOTHING.check(production);
    }

    @Test
    void nothingDependsOnServer() {
        NOTHING_DEPENDS_ON_SERVER.check(production);
    }

    @Test
    void adaptersDependOnlyOnCore() {
        ADAPTERS_STAY_OUT_OF_THE_SERVER_SIDE.check(production);
        ADAPTERS_DO_NOT_KNOW_EACH_OTHER.check(production);
    }

    @Test
    void policyLedgerAndDiameterDependOnCoreOnly() {
        FRONT_ENDS_DO_NOT_KNOW_EACH_OTHER.check(production);
        FRONT_ENDS_DO_NOT_USE_ADAPTERS.check(production);
    }

    @Test
    void aWrongWayDependencyIsCaught() {
        JavaClasses bad = new ClassFileImporter().importClasses(WrongWay.class);
        assertThatThrownBy(() -> CORE_DEPENDS_ON_NOTHING.check(bad))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("WrongWay")
                .hasMessageContaining("org.arbiter.server.config.ConfigLoader");
        assertThatThrownBy(() -> NOTHING_DEPENDS_ON_SERVER.check(bad))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("WrongWay");
    }
}
