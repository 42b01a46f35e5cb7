package fi.callgate.crypto;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * JCA provider choices in one place.
 *
 * <p>Bulk symmetric work (AES-CFB, the MDC's SHA-1, message digests) goes to the JDK's own
 * providers: they use AES-NI intrinsics and are 1.5-3x faster than BouncyCastle's Java AES
 * (see STACK.md). The small asymmetric operations (X25519 ECDH with the RFC 6637 KDF, Ed25519
 * "EdDSA legacy" signatures) use BouncyCastle, because bcpg asks for algorithm names such as
 * {@code X25519withSHA256CKDF} that only the BC provider knows.
 *
 * <p>The BC provider instance is passed explicitly and is never registered globally with
 * {@code Security.addProvider}, so other code in the JVM keeps getting the JDK's algorithms.
 */
final class Providers {
    static final Provider BC = new BouncyCastleProvider();

    private Providers() {}
}
