package fi.callgate.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules of Callgate's main code (DESIGN.md, "Shape rules"), as ArchUnit rules on the compiled
 * classes. Both modules check them ({@link PackageRulesCheck}): routes on its own classes, the gateway on
 * routes and gateway together, so a cycle through the gateway or a gateway import sneaking into routes
 * fails the build of the module that has it.
 *
 * <p>Bytecode sees every use, also fully qualified names and static imports, but not constants the
 * compiler inlined ({@code static final} primitives and strings): such a use leaves no trace to break.
 */
public final class PackageRules {
    private PackageRules() {
    }

    /**
     * Every package (not every top-level folder: {@code pipeline} and {@code pipeline.stage} are two) is a slice.
     */
    public static final ArchRule NO_PACKAGE_CYCLES = slices().matching("fi.callgate.(**)").namingSlices("$1")
            .should().beFreeOfCycles()
            .because("dependencies between packages go one way (DESIGN.md): a helper two packages need moves "
                    + "down into a bottom package, and a lower package calls a higher one only through an interface "
                    + "the lower one owns");

    /** The routes module is the part that can run without SSH: it never sees the gateway or MINA. */
    public static final ArchRule ROUTES_WITHOUT_GATEWAY_OR_MINA = noClasses()
            .that().resideInAPackage("fi.callgate..").and().resideOutsideOfPackage("fi.callgate.gateway..")
            .should().dependOnClassesThat().resideInAnyPackage("fi.callgate.gateway..", "org.apache.sshd..")
            .because("routes never imports gateway/ or MINA (README, DESIGN.md)");

    /**
     * The domain is plain Java: records, enums and rules with no framework, so that anything can use it and
     * its tests need nothing running. The one library it may use is libphonenumber: phone-number parsing and
     * the numbering-plan metadata are domain knowledge (what a valid Finnish mobile number is), a pure library
     * with no runtime, threads, I/O or configuration of its own, and writing it ourselves would be worse.
     */
    public static final ArchRule DOMAIN_WITHOUT_FRAMEWORKS = classes()
            .that().resideInAPackage("fi.callgate.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "fi.callgate.domain..",
                    "com.google.i18n.phonenumbers..")
            .because("the domain imports no framework (DESIGN.md): only the JDK and libphonenumber");

    /**
     * The bottom packages import nothing of Callgate above them: files and sealing, the CSV edges, crypto and
     * the metric names are used by every package (csv may name the domain's refusal reasons).
     */
    public static final ArchRule BOTTOM_PACKAGES_STAY_AT_THE_BOTTOM = noClasses()
            .that().resideInAnyPackage("fi.callgate.files..", "fi.callgate.csv..", "fi.callgate.crypto..",
                    "fi.callgate.metrics..")
            .should().dependOnClassesThat(resideInAPackage("fi.callgate..")
                    .and(not(resideInAnyPackage("fi.callgate.files..", "fi.callgate.csv..", "fi.callgate.crypto..",
                            "fi.callgate.metrics..", "fi.callgate.domain.."))))
            .because("a helper two packages need moves down, never sideways into a stage (DESIGN.md)");

    /** The store sits on the bottom packages only: every feature stores through it, it knows none of them. */
    public static final ArchRule STORE_BELOW_EVERY_FEATURE = noClasses()
            .that().resideInAPackage("fi.callgate.store..")
            .should().dependOnClassesThat(resideInAPackage("fi.callgate..")
                    .and(not(resideInAnyPackage("fi.callgate.store..", "fi.callgate.files..", "fi.callgate.csv..",
                            "fi.callgate.crypto..", "fi.callgate.domain.."))))
            .because("the store is used by everyone and imports none of the stages (DESIGN.md)");

    /**
     * The stage beans are the intake pipeline's own: only the pipeline's routes and the composition root
     * (which builds them) use them. What other packages need of them moved down (files, csv, publish).
     */
    public static final ArchRule STAGE_INTERNALS_STAY_IN_THE_PIPELINE = noClasses()
            .that().resideInAPackage("fi.callgate..")
            .and().resideOutsideOfPackages("fi.callgate.pipeline..", "fi.callgate.gateway.boot..")
            .should().dependOnClassesThat().resideInAPackage("fi.callgate.pipeline.stage..")
            .because("pipeline.stage is not a utility package (#17)");

    /** Main classes only: tests may reach into any package they test. */
    public static final class MainClassesOnly implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/test-classes/") && !location.contains("-tests.jar")
                    && !location.contains("/test/");
        }
    }
}
