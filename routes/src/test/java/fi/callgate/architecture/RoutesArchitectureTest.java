package fi.callgate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/** The package rules on the routes module's main classes (the gateway's own test adds the gateway). */
class RoutesArchitectureTest extends PackageRulesCheck {
    private static final JavaClasses CLASSES = mainClasses();

    @Override
    protected JavaClasses classes() {
        return CLASSES;
    }

    /** Guards the rules against passing on nothing (a wrong package or import option). */
    @Test
    void theRoutesMainClassesAreImportedAndNoTests() {
        assertThat(CLASSES.containPackage("fi.callgate.pipeline.stage")).isTrue();
        assertThat(CLASSES.containPackage("fi.callgate.domain")).isTrue();
        assertThat(CLASSES.contain(RoutesArchitectureTest.class)).isFalse();
    }
}
