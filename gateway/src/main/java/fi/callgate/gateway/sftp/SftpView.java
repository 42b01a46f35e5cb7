package fi.callgate.gateway.sftp;

import fi.callgate.domain.Area;
import fi.callgate.domain.Campaign;
import fi.callgate.gateway.accounts.Account;
import fi.callgate.gateway.accounts.Role;
import fi.callgate.store.CampaignStore;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * What one account can see and do on the drop point, computed from its role, its organisation's
 * campaigns and its grants. Deny by default: a campaign, area, file or operation absent here does not
 * exist for the account.
 *
 * <p>Suppliers (issue #16) share a campaign's outbox folder with its controller but not its files: a
 * supplier sees only the reports on lists it delivered, and the controller never sees those (it gets a
 * notice of its own instead). {@code outboxFiles} decides per file name.
 */
public record SftpView(SortedMap<String, Set<Area>> areas, Role role, BiPredicate<String, String> outboxFiles) {

    /** What may be done in an area. */
    public enum Op { LIST, READ, WRITE, DELETE }

    private static final Map<Role, Map<Area, Set<Op>>> POLICY = Map.of(
            Role.CONTROLLER, Map.of(
                    Area.INBOX, EnumSet.of(Op.WRITE),
                    Area.OUTBOX, EnumSet.of(Op.LIST, Op.READ, Op.DELETE)),
            Role.SUPPLIER, Map.of(
                    Area.INBOX, EnumSet.of(Op.WRITE),
                    Area.OUTBOX, EnumSet.of(Op.LIST, Op.READ)),
            Role.DIALER, Map.of(
                    Area.LISTS, EnumSet.of(Op.LIST, Op.READ),
                    Area.RESULTS, EnumSet.of(Op.WRITE),
                    Area.REPORTS, EnumSet.of(Op.LIST, Op.READ)),
            Role.SUPERVISOR, Map.of(
                    Area.LISTS, EnumSet.of(Op.LIST, Op.READ),
                    Area.RESULTS, EnumSet.of(Op.WRITE),
                    Area.REPORTS, EnumSet.of(Op.LIST, Op.READ),
                    Area.RECORDINGS, EnumSet.of(Op.WRITE)),
            Role.ADMIN, Map.of());

    /**
     * Controllers see their organisation's campaigns (after a campaign ends, only its outbox, where the
     * deletion receipt waits); supervisors and dialers see the active campaigns granted to them; suppliers
     * the active campaigns they currently supply. A supervisor's recordings folder exists only where the
     * campaign has a recordings agreement.
     */
    public static SftpView of(Account account, CampaignStore campaigns) {
        SortedMap<String, Set<Area>> visible = new TreeMap<>();
        if (account.disabled()) {
            return new SftpView(visible, account.role(), (c, f) -> false);
        }
        Set<Area> areas = POLICY.get(account.role()).keySet();
        List<Campaign> list = switch (account.role()) {
            case CONTROLLER -> campaigns.ofOrg(account.org().orElseThrow());
            case DIALER, SUPERVISOR -> campaigns.grantedTo(account.name());
            case SUPPLIER -> campaigns.suppliedBy(account.name());
            case ADMIN -> List.of();
        };
        for (Campaign c : list) {
            if (c.isActive() && areas.contains(Area.RECORDINGS) && campaigns.recordingsAgreement(c.id()).isEmpty()) {
                // Recordings go to a controller only under a separate written agreement: without one, no folder.
                visible.put(c.id(), Set.copyOf(EnumSet.complementOf(EnumSet.of(Area.RECORDINGS)).stream()
                        .filter(areas::contains).toList()));
            } else if (c.isActive()) {
                visible.put(c.id(), Set.copyOf(areas));
            } else if (account.role() == Role.CONTROLLER) {
                visible.put(c.id(), Set.of(Area.OUTBOX));
            }
        }
        return new SftpView(visible, account.role(), outboxFilter(account, campaigns));
    }

    /** Supplier reports are the supplier's alone; every other outbox file is the controller's. */
    private static BiPredicate<String, String> outboxFilter(Account account, CampaignStore campaigns) {
        // One look-up per campaign for the life of this view (a listing asks once per file).
        Map<String, Map<String, String>> owners = new java.util.concurrent.ConcurrentHashMap<>();
        return switch (account.role()) {
            case CONTROLLER -> (campaign, file) -> !owners.computeIfAbsent(campaign, campaigns::supplierOutboxFiles)
                    .containsKey(file);
            case SUPPLIER -> (campaign, file) -> account.name().equals(
                    owners.computeIfAbsent(campaign, campaigns::supplierOutboxFiles).get(file));
            default -> (campaign, file) -> true;
        };
    }

    public boolean sees(VirtualPath p) {
        if (p.campaign().isEmpty()) {
            return true;
        }
        Set<Area> a = areas.get(p.campaign().get());
        if (a == null || (p.area().isPresent() && !a.contains(p.area().get()))) {
            return false;
        }
        return p.file().isEmpty() || seesFile(p.campaign().get(), p.area().get(), p.file().get());
    }

    /** Whether a file of an area that the account sees is its to see (only the outbox is shared). */
    public boolean seesFile(String campaign, Area area, String file) {
        return area != Area.OUTBOX || outboxFiles.test(campaign, file);
    }

    public boolean may(Area area, Op op) {
        return POLICY.get(role).getOrDefault(area, Set.of()).contains(op);
    }
}
