package fi.callgate.gateway.commands;

/**
 * Makes one group of commands (a picocli subcommand such as {@code account} or {@code campaign}) for one
 * command run. The composition root supplies one per group, each constructing its group with only the
 * collaborators that group uses.
 */
@FunctionalInterface
public interface CommandGroup {
    Object forRun(CommandContext ctx);
}
