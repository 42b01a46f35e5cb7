package fi.callgate.agreement;

import java.util.Optional;
import java.util.regex.Pattern;

/** The agreement side of a campaign, wired once by the composition root. */
public record Agreements(AgreementStore store, Passphrases passphrases) {
    /** Agreement references are recorded and shown, never interpreted: printable, bounded, no separators. */
    private static final Pattern REFERENCE = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._/#:()+-]{0,199}");

    public static String checkReference(String ref) {
        if (ref == null || !REFERENCE.matcher(ref).matches()) {
            throw new IllegalArgumentException("an agreement reference is 1-200 letters, digits, spaces and ._/#:()+-"
                    + ", starting with a letter or digit");
        }
        return ref;
    }

    /**
     * The party an upload came from: a supplier when its account has ever been granted the campaign as one,
     * otherwise the controller (controllers are never suppliers: the command refuses them).
     */
    public Party partyOf(String campaign, String uploader) {
        return store.supplierGrant(campaign, uploader).isPresent() ? Party.supplier(campaign, uploader)
                : Party.controller(campaign);
    }

    /** The provenance of a supplier's upload as it stands now; empty for the controller's own. */
    public Optional<Provenance> provenanceNow(String campaign, String uploader) {
        return store.supplierGrant(campaign, uploader).map(g -> new Provenance(g.account(),
                store.orgOf(g.account()).orElse("?"), g.agreement()));
    }
}
