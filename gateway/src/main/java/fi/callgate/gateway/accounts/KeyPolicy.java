package fi.callgate.gateway.accounts;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Set;

/**
 * Which user key types may be registered: Ed25519, ECDSA and RSA of at least 3072 bits (NIST's floor
 * beyond 2030). DSA and short RSA keys are refused at registration, not at login, so the person hears why.
 */
final class KeyPolicy {
    private static final Set<String> TYPES = Set.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "ssh-rsa", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");

    private KeyPolicy() {
    }

    static void check(String type, PublicKey key) {
        if (type == null || !TYPES.contains(type)) {
            throw new IllegalArgumentException("key type " + type + " is not accepted; use ssh-ed25519");
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 3072) {
            throw new IllegalArgumentException("RSA keys need at least 3072 bits; use ssh-ed25519");
        }
    }
}
