package fi.callgate.gateway.commands;

import java.util.function.Supplier;
import org.apache.sshd.common.util.threads.CloseableExecutorService;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/** Creates a {@link CommandShell} for each exec request; there is no interactive shell and no SCP. */
public final class CommandShellFactory implements CommandFactory {
    private final Services services;
    private final Supplier<CloseableExecutorService> executor;

    public CommandShellFactory(Services services, Supplier<CloseableExecutorService> executor) {
        this.services = services;
        this.executor = executor;
    }

    @Override
    public Command createCommand(ChannelSession channel, String command) {
        return new CommandShell(command, services, executor.get());
    }
}
