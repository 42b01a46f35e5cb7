package fi.callgate.intake;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How long an upload's name may be. File systems limit a name to 255 bytes, and Callgate derives names
 * from an upload's: its report {@code <name>.report.csv.gpg} (or {@code .zip}), or, when that is taken,
 * {@code <name>.<8 characters of the upload id>.report.csv.gpg}; a results file's report
 * {@code <name>[.<id>].report.csv}. Every derived name must fit too, or the upload is stored and
 * processed and its report then fails for ever (issue 14: the controller never learned the outcome). So
 * names are measured in UTF-8 bytes, the way the file system counts — not in characters: 200 × "ä" is
 * 400 bytes — and refused at open, before a byte is written, if the longest derived name would not fit.
 */
public final class UploadName {
    /** The longest suffix any derived name adds. */
    public static final String LONGEST_DERIVED_SUFFIX = ".12345678.report.csv.gpg";
    public static final int FILE_SYSTEM_LIMIT = 255;
    public static final int MAX_BYTES = FILE_SYSTEM_LIMIT - LONGEST_DERIVED_SUFFIX.length();

    private UploadName() {
    }

    public static int bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Why the name cannot be an upload's, in words for the client; empty if it can. */
    public static Optional<String> problem(String name) {
        return problem(name, 0);
    }

    /**
     * The same for a name that ends in a temporary suffix ({@code .filepart} …) of so many bytes, to be
     * renamed away: the name without it is the upload's, and the whole must still fit the file system.
     */
    public static Optional<String> problem(String name, int temporarySuffixBytes) {
        int bytes = bytes(name);
        int upload = bytes - temporarySuffixBytes;
        if (upload <= MAX_BYTES && bytes <= FILE_SYSTEM_LIMIT) {
            return Optional.empty();
        }
        return Optional.of("file name too long: " + upload + " bytes in UTF-8"
                + (temporarySuffixBytes > 0 ? " without its temporary suffix" : "") + ", at most " + MAX_BYTES
                + " (room is kept for the report name derived from it)");
    }
}
