package fi.callgate.gateway.commands;

/** Ends every open session of an account (the SSH server's sessions, given by the composition root). */
@FunctionalInterface
public interface SessionTerminator {
    /** Returns how many sessions were closed. */
    int closeSessionsOf(String account);
}
