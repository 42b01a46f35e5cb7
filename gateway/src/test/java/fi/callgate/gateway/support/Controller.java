package fi.callgate.gateway.support;

import static org.awaitility.Awaitility.await;

import fi.callgate.audit.AuditEvent;
import fi.callgate.crypto.GnuPg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A controller organisation's person with a real GnuPG home: has the gateway's public key (fetched
 * through the admin's {@code gateway pgp-key}), its own key registered on a campaign, and uploads
 * gpg-encrypted lists with the OpenSSH {@code sftp} binary.
 */
public final class Controller implements AutoCloseable {
    public final GnuPg gpg = GnuPg.newHome();
    public final String account;
    public final String fingerprint;
    public final String gatewayFingerprint;
    private final TestGateway gw;

    public Controller(TestGateway gw, String account, String org, String uid) {
        this(gw, account, "controller", org, uid);
    }

    /** A person of another organisation with the same tools: a controller's or a list supplier's. */
    public Controller(TestGateway gw, String account, String role, String org, String uid) {
        this.gw = gw;
        this.account = account;
        gw.account(account, role, org);
        fingerprint = gpg.genKey(uid, "ed25519");
        gpg.importKey(gw.admin("gateway", "pgp-key").assertOk().out());
        gatewayFingerprint = gw.callgate().gatewayKey().fingerprint();
    }

    /** Registers this supplier's key on a campaign (as IT would). */
    public void supplierKeyFor(String campaign) {
        gw.sshIn("it-admin", gpg.exportPublicArmored(fingerprint), "campaign", "pgp-key", campaign, "--party", account)
                .assertOk();
    }

    /** Registers this controller's key on a campaign (as IT would). */
    public void keyFor(String campaign) {
        gw.sshIn("it-admin", gpg.exportPublicArmored(fingerprint), "campaign", "pgp-key", campaign).assertOk();
    }

    public Path encrypt(String name, byte[] plaintext, boolean sign, boolean armor, int compress, String... extra) {
        Path in = gpg.file(name, plaintext);
        return gpg.encrypt(in, gatewayFingerprint, sign ? fingerprint : null, armor, compress, extra);
    }

    /** Uploads a local file under a name into the campaign's inbox with sftp; returns the upload's processing entry. */
    public AuditEvent.Entry upload(String campaign, Path file, String name) {
        gw.sftp(account, "put " + file + " /" + campaign + "/inbox/" + name + "\n").assertOk();
        return awaitProcessed(campaign, name);
    }

    public AuditEvent.Entry awaitProcessed(String campaign, String name) {
        String target = "/" + campaign + "/inbox/" + name;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> !gw.callgate().audit().find("upload.processed", target).isEmpty());
        List<AuditEvent.Entry> e = gw.callgate().audit().find("upload.processed", target);
        return e.get(e.size() - 1);
    }

    /** Downloads a file from the outbox with sftp and decrypts it with gpg; returns the gpg result. */
    public GnuPg.Result fetchAndDecrypt(String campaign, String outboxName) {
        Path local = gpg.workDir().resolve("dl-" + System.nanoTime() + "-" + outboxName);
        gw.sftp(account, "get /" + campaign + "/outbox/" + outboxName + " " + local + "\n").assertOk();
        return gpg.decrypt(local, "--status-fd", "2");
    }

    public String report(String campaign, String uploadName) {
        GnuPg.Result r = fetchAndDecrypt(campaign, uploadName + ".report.csv.gpg").requireOk();
        return new String(r.stdout(), StandardCharsets.UTF_8);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        gpg.close();
    }

    public static boolean spoolEmpty(Path dataDir) throws java.io.IOException {
        try (var files = Files.list(dataDir.resolve("spool"))) {
            return files.findAny().isEmpty();
        }
    }
}
