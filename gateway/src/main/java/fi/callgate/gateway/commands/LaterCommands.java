package fi.callgate.gateway.commands;

import fi.callgate.gateway.accounts.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Command groups whose work belongs to later stages of the pipeline (data-subject requests). Their role
 * checks are real already, so that the permission surface does not change when they arrive; the work
 * answers "not available yet" with a non-zero status.
 */
final class LaterCommands {
    private LaterCommands() {
    }

    @Command(name = "dsar", description = "Data-subject requests (supervisor).")
    static final class Dsar {
        private final CommandContext ctx;

        Dsar(CommandContext ctx) {
            this.ctx = ctx;
        }

        @Command(name = "find")
        void find(@Option(names = "--phone") String phone, @Option(names = "--email") String email,
                  @Option(names = "--name") String name, @Option(names = "--address") String address) {
            later("dsar find");
        }

        @Command(name = "erase")
        void erase(@Parameters(paramLabel = "REQUEST-ID") String id, @Option(names = "--block") boolean block) {
            later("dsar erase");
        }

        @Command(name = "list")
        void list() {
            later("dsar list");
        }

        private void later(String what) {
            ctx.require(Role.SUPERVISOR);
            throw CommandFailure.notAvailable(what);
        }
    }
}
