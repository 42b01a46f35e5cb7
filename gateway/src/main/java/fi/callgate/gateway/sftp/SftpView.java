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

/**
 * What one account can see and do on the drop point, computed from its role, its organisation's
 * campaigns and its grants. Deny by default: a campaign, area or operation absent here does not exist
 * for the account.
 */
public record SftpView(SortedMap<String, Set<Area>> areas, Role role) {

    /** What may be done in an area. */
    public enum Op { LIST, READ, WRITE, DELETE }

    private static final Map<Role, Map<Area, Set<Op>>> POLICY = Map.of(
            Role.CONTROLLER, Map.of(
                    Area.INBOX, EnumSet.of(Op.WRITE),
                    Area.OUTBOX, EnumSet.of(Op.LIST, Op.READ, Op.DELETE)),
            Role.DIALER, Map.of(
                    Area.LISTS, EnumSet.of(Op.LIST, Op.READ),
                    Area.RESULTS, EnumSet.of(Op.WRITE),
                    Area.REPORTS, EnumSet.of(Op.LIST, Op.READ)),
            Role.SUPERVISOR, Map.of(
                    Area.LISTS, EnumSet.of(Op.LIST, Op.READ),
                    Area.RESULTS, EnumSet.of(Op.WRITE),
                    Area.REPORTS, EnumSet.of(Op.LIST, Op.READ)),
            Role.ADMIN, Map.of());

    /**
     * Controllers see their organisation's campaigns (after a campaign ends, only its outbox, where the
     * deletion receipt waits); supervisors and dialers see the active campaigns granted to them.
     */
    public static SftpView of(Account account, CampaignStore campaigns) {
        SortedMap<String, Set<Area>> visible = new TreeMap<>();
        if (account.disabled()) {
            return new SftpView(visible, account.role());
        }
        Set<Area> areas = POLICY.get(account.role()).keySet();
        List<Campaign> list = switch (account.role()) {
            case CONTROLLER -> campaigns.ofOrg(account.org().orElseThrow());
            case DIALER, SUPERVISOR -> campaigns.grantedTo(account.name());
            case ADMIN -> List.of();
        };
        for (Campaign c : list) {
            if (c.isActive()) {
                visible.put(c.id(), Set.copyOf(areas));
            } else if (account.role() == Role.CONTROLLER) {
                visible.put(c.id(), Set.of(Area.OUTBOX));
            }
        }
        return new SftpView(visible, account.role());
    }

    public boolean sees(VirtualPath p) {
        if (p.campaign().isEmpty()) {
            return true;
        }
        Set<Area> a = areas.get(p.campaign().get());
        return a != null && (p.area().isEmpty() || a.contains(p.area().get()));
    }

    public boolean may(Area area, Op op) {
        return POLICY.get(role).getOrDefault(area, Set.of()).contains(op);
    }
}
