package fi.callgate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every package says what it is for and what it may import (DESIGN.md: one package-info per package), and
 * the test tree mirrors main: a test package is a main package (its classes' tests live beside them) or a
 * test-only package that says so in its own package-info.
 */
class RoutesPackageInfoTest {
    static final SourcePackages MAIN = new SourcePackages(Path.of("src/main/java"));
    static final SourcePackages TEST = new SourcePackages(Path.of("src/test/java"));

    @Test
    void everyMainPackageHasAPackageInfo() {
        assertThat(MAIN.all()).contains("fi.callgate.domain", "fi.callgate.files");
        assertThat(MAIN.withoutPackageInfo()).as("main packages without package-info.java").isEmpty();
    }

    @Test
    void everyTestPackageIsAMainPackageOrSaysItIsTestOnly() {
        Set<String> outside = new TreeSet<>(TEST.withoutPackageInfo());
        outside.removeAll(MAIN.all());
        assertThat(TEST.all()).contains("fi.callgate.store", "fi.callgate.testing");
        assertThat(outside).as("test packages without a main package of their name and without package-info")
                .isEmpty();
    }
}
