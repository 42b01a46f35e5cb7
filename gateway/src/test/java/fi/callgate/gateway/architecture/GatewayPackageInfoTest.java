package fi.callgate.gateway.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.architecture.SourcePackages;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every gateway package says what it is for and what it may import (DESIGN.md), and the gateway's tests
 * follow the scheme in the README ("Where the tests live"): a test package is a gateway main package, or
 * {@code flow.<routes package>} for an end-to-end flow named after the routes package whose behaviour it
 * drives, or the root package for whole-appliance properties, or a test-only package that says so in its
 * own package-info.
 */
class GatewayPackageInfoTest {
    static final String ROOT = "fi.callgate.gateway";
    static final String FLOW = ROOT + ".flow.";
    static final SourcePackages MAIN = new SourcePackages(Path.of("src/main/java"));
    static final SourcePackages ROUTES_MAIN = new SourcePackages(Path.of("../routes/src/main/java"));
    static final SourcePackages TEST = new SourcePackages(Path.of("src/test/java"));

    @Test
    void everyMainPackageHasAPackageInfo() {
        assertThat(MAIN.all()).contains(ROOT + ".sftp", ROOT + ".boot");
        assertThat(MAIN.withoutPackageInfo()).as("main packages without package-info.java").isEmpty();
    }

    @Test
    void everyTestPackageFollowsTheScheme() {
        Set<String> outside = new TreeSet<>();
        for (String p : TEST.withoutPackageInfo()) {
            boolean mirrorsGateway = MAIN.all().contains(p) || p.equals(ROOT);
            boolean flowOfARoutesPackage = p.startsWith(FLOW)
                    && ROUTES_MAIN.all().contains("fi.callgate." + p.substring(FLOW.length()));
            if (!mirrorsGateway && !flowOfARoutesPackage) {
                outside.add(p);
            }
        }
        assertThat(TEST.all()).contains(ROOT + ".support", ROOT + ".sftp");
        assertThat(outside).as("test packages that are neither a gateway main package, nor flow.<routes package>, "
                + "nor test-only with a package-info").isEmpty();
    }
}
