package fi.callgate.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * Checks every {@link PackageRules} rule on a module's main classes, one test per rule so a report names
 * the rule that broke. Each module's {@code …ArchitectureTest} extends this with the classes it sees:
 * the routes classes in routes, routes and gateway together in the gateway.
 */
public abstract class PackageRulesCheck {

    /** The main classes of Callgate on this module's class path (tests left out). */
    protected static JavaClasses mainClasses() {
        return new ClassFileImporter().withImportOption(new PackageRules.MainClassesOnly())
                .importPackages("fi.callgate");
    }

    /** The classes the rules are checked on; imported once per test class. */
    protected abstract JavaClasses classes();

    @Test
    void noCyclesBetweenPackages() {
        PackageRules.NO_PACKAGE_CYCLES.check(classes());
    }

    @Test
    void routesImportNeitherGatewayNorMina() {
        PackageRules.ROUTES_WITHOUT_GATEWAY_OR_MINA.check(classes());
    }

    @Test
    void domainImportsNoFramework() {
        PackageRules.DOMAIN_WITHOUT_FRAMEWORKS.check(classes());
    }

    @Test
    void bottomPackagesImportNothingAboveThem() {
        PackageRules.BOTTOM_PACKAGES_STAY_AT_THE_BOTTOM.check(classes());
    }

    @Test
    void storeImportsNoFeature() {
        PackageRules.STORE_BELOW_EVERY_FEATURE.check(classes());
    }

    @Test
    void stageInternalsStayInThePipeline() {
        PackageRules.STAGE_INTERNALS_STAY_IN_THE_PIPELINE.check(classes());
    }
}
