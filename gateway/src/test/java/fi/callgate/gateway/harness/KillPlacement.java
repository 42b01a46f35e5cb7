package fi.callgate.gateway.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the crash harnesses' kills land, read from the data-dir of the dead child: what the restart will find
 * is what the kill interrupted. A file in a write area (inbox, results) is an upload being written (the client
 * had no OK yet); a file in the spool is an upload in the pipeline (received and not final, or its sealed
 * plaintext between decrypt and validate); a hidden temporary in an outbox, reports or lists area is a report,
 * export, receipt or dialer list being published.
 * A kill before SSH answered is a kill in start-up (whatever the disk shows); a kill of a running child with
 * none of these on disk is idle.
 */
final class KillPlacement {
    private final Path dataDir;
    private int writing;
    private int pipeline;
    private int publishing;
    private int inWork;
    private int startUp;
    private int idle;

    KillPlacement(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The uploads in the spool now: taken after a start, so that {@link #awaitWork} waits for new ones. */
    Set<String> spool() {
        try (Stream<Path> s = Files.list(dataDir.resolve("spool"))) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }

    /**
     * Waits (at most {@code millis}) until the running child has new work in progress on disk: an upload being
     * written, or one in the pipeline that was not in {@code old} (an upload a start resumed is processed first
     * thing; aiming at it would kill the same upload's passes over and over).
     */
    void awaitWork(Set<String> old, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (!anyInAreas(p -> true, "inbox", "results") && !any(dataDir.resolve("spool"), p -> {
            String n = p.getFileName().toString();
            return !n.startsWith(".") && !old.contains(n);
        }) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Classifies a kill; call with the child dead. {@code wasUp}: SSH answered just before the kill. */
    void record(boolean wasUp) {
        boolean w = anyInAreas(p -> true, "inbox", "results");
        boolean s = any(dataDir.resolve("spool"), p -> !p.getFileName().toString().startsWith("."));
        boolean o = anyInAreas(p -> p.getFileName().toString().startsWith("."), "outbox", "reports", "lists");
        if (!wasUp) {
            startUp++; // spool files found then may just be waiting for the resume: not counted as work
        } else if (w || s || o) {
            inWork++;
            writing += w ? 1 : 0;
            pipeline += s ? 1 : 0;
            publishing += o ? 1 : 0;
        } else {
            idle++;
        }
    }

    int inWork() {
        return inWork;
    }

    int duringStartUp() {
        return startUp;
    }

    String describe() {
        return "upload being written " + writing + ", upload in the pipeline " + pipeline + ", report being published "
                + publishing + "; idle " + idle;
    }

    /** Is there such a file in one of these areas of any campaign? */
    private boolean anyInAreas(Predicate<Path> which, String... areas) {
        Path root = dataDir.resolve("sftp");
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (Stream<Path> campaigns = Files.list(root)) {
            for (Path c : (Iterable<Path>) campaigns::iterator) {
                for (String a : areas) {
                    if (any(c.resolve(a), which)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return false; // a campaign folder went away while listing: nothing in it
        }
    }

    private static boolean any(Path dir, Predicate<Path> which) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(which);
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
