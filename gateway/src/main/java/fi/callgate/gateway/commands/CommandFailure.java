package fi.callgate.gateway.commands;

/** A command that cannot do what was asked; the message is the one line the person sees on stderr. */
public class CommandFailure extends RuntimeException {
    private final int exitCode;

    public CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static CommandFailure denied(String what) {
        return new CommandFailure(3, "permission denied: " + what);
    }

    public static CommandFailure invalid(String why) {
        return new CommandFailure(2, why);
    }

    public static CommandFailure notFound(String what) {
        return new CommandFailure(4, what + " not found");
    }

    public static CommandFailure notAvailable(String command) {
        return new CommandFailure(5, command + ": not available yet in this version of Callgate");
    }
}
