package fi.callgate.gateway.commands;

import fi.callgate.gateway.accounts.Role;
import java.util.List;
import java.util.Set;

/** The {@code help} overview: the commands of CONTRACT §3 that the caller's role may run. */
final class HelpText {
    private record Line(Set<Role> roles, String text) {
    }

    private static final Set<Role> ADMIN = Set.of(Role.ADMIN);
    private static final Set<Role> SUP = Set.of(Role.SUPERVISOR);
    private static final Set<Role> BOTH = Set.of(Role.ADMIN, Role.SUPERVISOR);
    private static final List<Line> LINES = List.of(
            new Line(ADMIN, "account add NAME --role admin|supervisor|controller|dialer|supplier [--org ORG]"),
            new Line(ADMIN, "account key NAME                 # one OpenSSH public key line on stdin"),
            new Line(ADMIN, "account password NAME            # a password on stdin"),
            new Line(ADMIN, "account disable NAME             # also ends all of NAME's open sessions at once"),
            new Line(ADMIN, "account list"),
            new Line(ADMIN, "campaign add ID --org ORG --ends YYYY-MM-DD [--retention-days N] [--personal-id]"),
            new Line(ADMIN, "                 [--require-signature] [--dialer-fields f1,f2,...] [--dialer-format callgate|vicidial]"),
            new Line(ADMIN, "                 [--recordings REF]"),
            new Line(BOTH, "campaign pgp-key ID              # the controller's OpenPGP public key on stdin"),
            new Line(BOTH, "campaign grant ID ACCOUNT        # a supervisor or dialer gets the campaign"),
            new Line(BOTH, "campaign set ID --recordings REF | --no-recordings  # recordings transfer agreement"),
            new Line(BOTH, "campaign supplier ID ACCOUNT --agreement REF | --end   # a list supplier may deliver"),
            new Line(BOTH, "campaign method ID openpgp|aes-zip [--party ACCOUNT]   # agreed encryption method"),
            new Line(BOTH, "campaign passphrase ID [--generate] [--party ACCOUNT]  # aes-zip; stdin, or printed once"),
            new Line(BOTH, "campaign pgp-key ID --party ACCOUNT  # a supplier's OpenPGP public key on stdin"),
            new Line(SUP, "campaign end ID                  # deactivates it and shreds its personal data now"),
            new Line(SUP, "campaign called-through ID       # every list of it has been called through"),
            new Line(SUP, "campaign export ID               # export pending orders, address changes, call bans"),
            new Line(BOTH, "campaign list | campaign show ID"),
            new Line(ADMIN, "campaign push ID [--to dialer|controller] --host H [--port P] --user U [--dir D]"),
            new Line(ADMIN, "                 --location CC  (host key on stdin; dialer: lists, controller: exports)"),
            new Line(ADMIN, "campaign push ID [--to dialer|controller] --off"),
            new Line(SUP, "blocklist add PHONE...  |  blocklist import  (one number a line on stdin)"),
            new Line(SUP, "blocklist check PHONE |  blocklist size"),
            new Line(SUP, "dsar find (--phone P | --email E | --name \"FIRST LAST\" [--address \"STREET, POSTCODE\"])"),
            new Line(SUP, "dsar erase REQUEST-ID [--block]  # erase what it found; --block also block-lists the phone"),
            new Line(SUP, "dsar list                        # open requests with their due dates"),
            new Line(SUP, "dsar close REQUEST-ID            # answered without erasure (access only)"),
            new Line(BOTH, "retention status                 # every dataset with its deadline, reason and state"),
            new Line(ADMIN, "audit tail [N] | audit verify"),
            new Line(ADMIN, "gateway pgp-key"),
            new Line(Set.of(Role.values()), "help"));

    private HelpText() {
    }

    static String forRole(Role role) {
        StringBuilder sb = new StringBuilder("Callgate commands for the " + role.code()
                + " role (add --json anywhere for JSON):\n");
        LINES.stream().filter(l -> l.roles().contains(role)).forEach(l -> sb.append("  ").append(l.text()).append('\n'));
        return sb.toString();
    }
}
