package fi.callgate.gateway.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.architecture.SourcePackages;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every gateway package says what it is for and what it may import (DESIGN.md). */
class GatewayPackageInfoTest {
    static final SourcePackages MAIN = new SourcePackages(Path.of("src/main/java"));

    @Test
    void everyMainPackageHasAPackageInfo() {
        assertThat(MAIN.all()).contains("fi.callgate.gateway.sftp", "fi.callgate.gateway.boot");
        assertThat(MAIN.withoutPackageInfo()).as("main packages without package-info.java").isEmpty();
    }
}
