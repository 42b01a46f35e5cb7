package fi.callgate.gateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import fi.callgate.architecture.PackageRulesCheck;
import org.junit.jupiter.api.Test;

/**
 * The package rules on routes and gateway together: a cycle that runs through a gateway package, or a
 * routes class that reaches into the gateway or MINA, shows only here. Plus the gateway's own rule: the
 * composition root is on top.
 */
class GatewayArchitectureTest extends PackageRulesCheck {
    private static final JavaClasses CLASSES = mainClasses();

    /** Only boot builds and starts everything; no part reaches back into it for a collaborator. */
    static final ArchRule COMPOSITION_ROOT_ON_TOP = noClasses()
            .that().resideInAPackage("fi.callgate..").and().resideOutsideOfPackage("fi.callgate.gateway.boot..")
            .should().dependOnClassesThat().resideInAPackage("fi.callgate.gateway.boot..")
            .because("the composition root builds every part and hands each its collaborators (DESIGN.md)");

    @Override
    protected JavaClasses classes() {
        return CLASSES;
    }

    @Test
    void nothingDependsOnTheCompositionRoot() {
        COMPOSITION_ROOT_ON_TOP.check(CLASSES);
    }

    /** Guards the rules against passing on nothing: both modules' main classes are there, no tests. */
    @Test
    void theRoutesAndGatewayMainClassesAreImported() {
        assertThat(CLASSES.containPackage("fi.callgate.gateway.sftp")).isTrue();
        assertThat(CLASSES.containPackage("fi.callgate.pipeline.stage")).isTrue();
        assertThat(CLASSES.contain(GatewayArchitectureTest.class)).isFalse();
    }
}
