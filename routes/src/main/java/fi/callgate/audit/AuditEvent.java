package fi.callgate.audit;

import java.time.Instant;

/**
 * One thing that happened: who ({@code actor}, an account name or {@code callgate} for the gateway
 * itself), from where ({@code source}, an IP or empty), what ({@code action}, a dotted verb such as
 * {@code sftp.open}), on what ({@code target}, a path, account or campaign), how it ended and a short
 * detail. Never personal data: names of accounts and files only.
 */
public record AuditEvent(String actor, String source, String action, String target, Outcome outcome,
                         String detail) {

    public enum Outcome { OK, DENIED, FAILED }

    public static AuditEvent ok(String actor, String source, String action, String target, String detail) {
        return new AuditEvent(actor, source, action, target, Outcome.OK, detail);
    }

    public static AuditEvent denied(String actor, String source, String action, String target, String detail) {
        return new AuditEvent(actor, source, action, target, Outcome.DENIED, detail);
    }

    public static AuditEvent failed(String actor, String source, String action, String target, String detail) {
        return new AuditEvent(actor, source, action, target, Outcome.FAILED, detail);
    }

    /** A stored entry, with its place in the chain. */
    public record Entry(long seq, Instant at, AuditEvent event, String prevHash, String hash) {
    }
}
