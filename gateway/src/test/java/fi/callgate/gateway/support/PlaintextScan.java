package fi.callgate.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads every file under a directory (database files, spool, keys, SFTP folders, logs) and asserts none
 * holds any of the given strings, in UTF-8, Latin-1 or UTF-16: personal data must never rest in plaintext.
 */
public final class PlaintextScan {
    private PlaintextScan() {
    }

    public static int assertAbsent(Path dir, List<String> needles) {
        int files = 0;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                files++;
                byte[] bytes = Files.readAllBytes(f);
                String latin = new String(bytes, StandardCharsets.ISO_8859_1);
                String utf8 = new String(bytes, StandardCharsets.UTF_8);
                String utf16 = new String(bytes, StandardCharsets.UTF_16LE) + new String(bytes, StandardCharsets.UTF_16BE);
                for (String n : needles) {
                    assertThat(latin).as(f + " holds " + n.length() + "-char personal data").doesNotContain(n);
                    assertThat(utf8).as(f.toString()).doesNotContain(n);
                    assertThat(utf16).as(f.toString()).doesNotContain(n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
