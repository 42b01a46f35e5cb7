package fi.callgate.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * SFTP path resolution on any string a client can send: a path that resolves always stays under the
 * root once normalised, has at most campaign/area/file, and never names a hidden (dot) entry.
 */
class VirtualPathFuzzTest {
    private static final Path ROOT = Path.of("/srv/callgate/sftp");
    private static final AtomicLong RESOLVED = new AtomicLong();
    private static final AtomicLong REFUSED = new AtomicLong();

    @FuzzTest(maxDuration = "60s")
    void neverLeavesTheRoot(byte[] data) {
        resolve(new String(data, StandardCharsets.UTF_8));
        resolve(new String(data, StandardCharsets.ISO_8859_1));
    }

    private static void resolve(String remote) {
        VirtualPath v;
        try {
            v = VirtualPath.parse(remote);
        } catch (NoSuchFileException e) {
            REFUSED.incrementAndGet();
            return;
        }
        Path p = v.under(ROOT);
        assertThat(p.normalize().startsWith(ROOT)).as("%s normalised stays under the root", p).isTrue();
        assertThat(p.normalize()).as("already normal").isEqualTo(p);
        assertThat(ROOT.relativize(p).getNameCount() <= 3 || p.equals(ROOT)).isTrue();
        for (Path part : p.equals(ROOT) ? java.util.List.<Path>of() : ROOT.relativize(p)) {
            String name = part.toString();
            assertThat(name).as("component of %s", p).doesNotStartWith(".").isNotEmpty().doesNotContain("/");
        }
        RESOLVED.incrementAndGet();
    }

    @AfterAll
    static void counts() {
        System.out.println("[fuzz] VirtualPath resolved = " + RESOLVED.get() + ", refused = " + REFUSED.get());
    }
}
