package fi.callgate.gateway.commands;

import fi.callgate.gateway.accounts.Role;
import picocli.CommandLine.Command;

/** {@code gateway pgp-key}: the key controllers encrypt call lists to. Admin only (CONTRACT §2). */
@Command(name = "gateway", description = "The gateway's own keys (admin).")
public final class GatewayCommands {
    private final CommandContext ctx;
    private final PgpKeys pgp;

    public GatewayCommands(CommandContext ctx, PgpKeys pgp) {
        this.ctx = ctx;
        this.pgp = pgp;
    }

    @Command(name = "pgp-key", description = "The gateway's OpenPGP public key, ASCII-armored.")
    void pgpKey() {
        ctx.require(Role.ADMIN);
        if (ctx.json()) {
            ctx.output().object(ctx, new java.util.LinkedHashMap<>(java.util.Map.of(
                    "fingerprint", pgp.gatewayFingerprint(), "public_key", pgp.gatewayPublicKey())));
        } else {
            ctx.output().raw(ctx, "public_key", pgp.gatewayPublicKey());
        }
    }
}
