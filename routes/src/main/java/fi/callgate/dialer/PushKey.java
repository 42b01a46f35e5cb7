package fi.callgate.dialer;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import fi.callgate.store.MasterKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Callgate's own Ed25519 key for pushing (to the dialer's and the controller's SFTP servers, which authorise
 * its public half), and the directory of the pinned known-hosts files. Created once, kept across restarts.
 */
public final class PushKey {
    private final Path dir;

    private PushKey(Path dir) {
        this.dir = dir;
    }

    public static PushKey loadOrCreate(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path key = dir.resolve("push_ed25519");
        if (!Files.exists(key)) {
            try {
                KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.ED25519);
                ByteArrayOutputStream priv = new ByteArrayOutputStream();
                pair.writeOpenSSHv1PrivateKey(priv, null);
                ByteArrayOutputStream pub = new ByteArrayOutputStream();
                pair.writePublicKey(pub, "callgate-push");
                // 600 from the first byte, synced, renamed into place: never readable by others, never half-written.
                MasterKey.SecretFiles.writeAtomically(key, priv.toByteArray());
                Files.write(dir.resolve("push_ed25519.pub"), pub.toByteArray());
                pair.dispose();
            } catch (JSchException e) {
                throw new IOException("cannot create the push key: " + e.getMessage(), e);
            }
        }
        return new PushKey(dir);
    }

    Path dir() {
        return dir;
    }

    Path privateKeyFile() {
        return dir.resolve("push_ed25519");
    }

    /** The public key (OpenSSH line), to authorise on the target's SFTP server. */
    public String publicKey() throws IOException {
        return Files.readString(dir.resolve("push_ed25519.pub")).strip();
    }
}
