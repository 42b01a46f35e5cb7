package fi.callgate.gateway.commands;

import fi.callgate.gateway.accounts.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import java.util.List;

/**
 * Command groups whose work belongs to later stages of the pipeline (the block list). Their role checks are real already, so that the permission surface does not change when
 * they arrive; the work answers "not available yet" with a non-zero status.
 */
final class LaterCommands {
    private LaterCommands() {
    }

    @Command(name = "blocklist", description = "The do-not-call list (supervisor).")
    static final class Blocklist {
        private final CommandContext ctx;

        Blocklist(CommandContext ctx) {
            this.ctx = ctx;
        }

        @Command(name = "add")
        void add(@Parameters(paramLabel = "PHONE", arity = "1..*") List<String> phones) {
            later("blocklist add");
        }

        @Command(name = "import")
        void importNumbers() {
            later("blocklist import");
        }

        @Command(name = "check")
        void check(@Parameters(paramLabel = "PHONE") String phone) {
            later("blocklist check");
        }

        @Command(name = "size")
        void size() {
            later("blocklist size");
        }

        private void later(String what) {
            ctx.require(Role.SUPERVISOR);
            throw CommandFailure.notAvailable(what);
        }
    }
}
