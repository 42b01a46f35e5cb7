package fi.callgate.gateway.commands;

import fi.callgate.audit.AuditLog;
import fi.callgate.store.WriteGate;
import java.util.List;
import java.util.function.Supplier;
import org.apache.sshd.common.util.threads.CloseableExecutorService;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/** Creates a {@link CommandShell} for each exec request; there is no interactive shell and no SCP. */
public final class CommandShellFactory implements CommandFactory {
    private final List<CommandGroup> groups;
    private final AuditLog audit;
    private final WriteGate writeGate;
    private final Supplier<CloseableExecutorService> executor;

    /** {@code groups}: the command groups in the order help lists them; {@code audit}: where every run is audited. */
    public CommandShellFactory(List<CommandGroup> groups, AuditLog audit, WriteGate writeGate,
                               Supplier<CloseableExecutorService> executor) {
        this.groups = List.copyOf(groups);
        this.audit = audit;
        this.writeGate = writeGate;
        this.executor = executor;
    }

    @Override
    public Command createCommand(ChannelSession channel, String command) {
        return new CommandShell(command, groups, audit, writeGate, executor.get());
    }
}
