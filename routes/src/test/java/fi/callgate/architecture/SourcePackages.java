package fi.callgate.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The Java packages of a source tree, read from the folders (a package-info.java without annotations leaves
 * no class file, so the compiled classes cannot tell whether a package has one).
 */
public final class SourcePackages {
    private final Path root;

    public SourcePackages(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("no source tree at " + root.toAbsolutePath());
        }
        this.root = root;
    }

    /** Every package that holds at least one .java file, dotted. */
    public Set<String> all() {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> out.add(name(f.getParent())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The packages without a package-info.java. */
    public Set<String> withoutPackageInfo() {
        Set<String> out = new TreeSet<>();
        for (String p : all()) {
            if (!Files.exists(root.resolve(p.replace('.', '/')).resolve("package-info.java"))) {
                out.add(p);
            }
        }
        return out;
    }

    private String name(Path dir) {
        return root.relativize(dir).toString().replace('/', '.');
    }
}
