package fi.callgate.gateway.sftp;

import fi.callgate.audit.SafeText;
import fi.callgate.domain.Area;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A path as a client sees it, reduced to what the drop point can contain: {@code /}, {@code /<campaign>},
 * {@code /<campaign>/<area>} or {@code /<campaign>/<area>/<file>}. Parsing is lexical and strict: dot
 * segments are resolved against the root (never above it), and anything else odd — backslashes, NUL,
 * control, format or separator characters, hidden names, more depth — is simply "no such file", the same
 * answer whether or not something exists there.
 */
public record VirtualPath(Optional<String> campaign, Optional<Area> area, Optional<String> file) {
    private static final Pattern CAMPAIGN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");
    private static final int MAX_NAME = 255;

    public static final VirtualPath ROOT = new VirtualPath(Optional.empty(), Optional.empty(), Optional.empty());

    public static VirtualPath parse(String remote) throws NoSuchFileException {
        String path = remote == null ? "" : remote;
        if (path.length() > 4096) {
            throw new NoSuchFileException("path too long");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                parts.pollLast();
                continue;
            }
            parts.addLast(seg);
        }
        return of(parts.toArray(String[]::new), remote);
    }

    /** From a path of the rooted file system MINA hands back to the accessor. */
    public static VirtualPath of(Path rooted) throws NoSuchFileException {
        String[] parts = new String[rooted.getNameCount()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = rooted.getName(i).toString();
        }
        return of(parts, rooted.toString());
    }

    private static VirtualPath of(String[] parts, String original) throws NoSuchFileException {
        if (parts.length > 3) {
            throw new NoSuchFileException(original);
        }
        Optional<String> campaign = Optional.empty();
        Optional<Area> area = Optional.empty();
        Optional<String> file = Optional.empty();
        if (parts.length >= 1) {
            if (!CAMPAIGN.matcher(parts[0]).matches()) {
                throw new NoSuchFileException(original);
            }
            campaign = Optional.of(parts[0]);
        }
        if (parts.length >= 2) {
            area = Optional.of(Area.ofFolder(parts[1]).orElseThrow(() -> new NoSuchFileException(original)));
        }
        if (parts.length == 3) {
            if (!isPlainFileName(parts[2])) {
                throw new NoSuchFileException(original);
            }
            file = Optional.of(parts[2]);
        }
        return new VirtualPath(campaign, area, file);
    }

    /** A name a client may use for a file: visible (no leading dot), bounded, nothing invisible or special. */
    public static boolean isPlainFileName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME || name.startsWith(".") || name.contains("\\")
                || name.contains(":")) {
            return false;
        }
        return name.codePoints().noneMatch(cp -> cp == '/' || SafeText.needsEscape(cp)
                || Character.getType(cp) == Character.PRIVATE_USE);
    }

    public int depth() {
        return file.isPresent() ? 3 : area.isPresent() ? 2 : campaign.isPresent() ? 1 : 0;
    }

    /** The same place on disk, under the SFTP root. */
    public Path under(Path root) {
        Path p = root;
        if (campaign.isPresent()) {
            p = p.resolve(campaign.get());
        }
        if (area.isPresent()) {
            p = p.resolve(area.get().folderName());
        }
        if (file.isPresent()) {
            p = p.resolve(file.get());
        }
        return p;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        campaign.ifPresent(c -> sb.append('/').append(c));
        area.ifPresent(a -> sb.append('/').append(a.folderName()));
        file.ifPresent(f -> sb.append('/').append(SafeText.of(f, 300)));
        return sb.length() == 0 ? "/" : sb.toString();
    }
}
