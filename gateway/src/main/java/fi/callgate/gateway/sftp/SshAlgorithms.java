package fi.callgate.gateway.sftp;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.OptionalFeature;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.compression.BuiltinCompressions;
import org.apache.sshd.common.compression.Compression;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The algorithm lists, set explicitly (MINA's defaults still offer SHA-1, CBC and zlib). Post-quantum
 * hybrids first, X25519 also under its older {@code @libssh.org} name (paramiko knows only that one).
 * Ciphers: AES-GCM for every client that has it; AES-CTR only for clients without GCM — which of the two a
 * session is offered is {@link ClientFittedProposal}'s decision, made from the client's own KEXINIT.
 * MACs: encrypt-then-MAC SHA-2, and the plain SHA-2 MACs only for a CTR client with no {@code -etm} MAC
 * (libssh2 1.10). No chacha20-poly1305: it is pure Java in MINA and the slowest (README: SSH algorithms),
 * and every client that has it also has AES. No compression. MINA drops unsupported names silently,
 * so each is checked and start-up refused if one is missing.
 */
public final class SshAlgorithms {
    private static final Logger log = LoggerFactory.getLogger(SshAlgorithms.class);

    static final List<BuiltinDHFactories> KEX = List.of(BuiltinDHFactories.mlkem768x25519,
            BuiltinDHFactories.sntrup761x25519, BuiltinDHFactories.sntrup761x25519_openssh,
            BuiltinDHFactories.curve25519, BuiltinDHFactories.curve25519_libssh);
    static final List<BuiltinCiphers> CIPHERS_GCM = List.of(BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128gcm);
    static final List<BuiltinCiphers> CIPHERS_CTR = List.of(BuiltinCiphers.aes256ctr, BuiltinCiphers.aes192ctr,
            BuiltinCiphers.aes128ctr);
    static final List<BuiltinMacs> MACS_ETM = List.of(BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512etm);
    static final List<BuiltinMacs> MACS_PLAIN = List.of(BuiltinMacs.hmacsha256, BuiltinMacs.hmacsha512);
    /** Everything the server can use; each session's offer is a subset (ClientFittedProposal). */
    static final List<BuiltinCiphers> CIPHERS = concat(CIPHERS_GCM, CIPHERS_CTR);
    static final List<BuiltinMacs> MACS = concat(MACS_ETM, MACS_PLAIN);
    static final List<BuiltinSignatures> SIGNATURES = List.of(BuiltinSignatures.ed25519, BuiltinSignatures.nistp256,
            BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256);
    static final List<BuiltinCompressions> COMPRESSION = List.of(BuiltinCompressions.none);

    private SshAlgorithms() {
    }

    /** Applies every list to the server; throws if any required algorithm is unavailable here. */
    public static void apply(SshServer server) {
        List<String> missing = new ArrayList<>();
        requireAll("kex", KEX, missing);
        requireAll("cipher", CIPHERS, missing);
        requireAll("mac", MACS, missing);
        requireAll("signature", SIGNATURES, missing);
        requireAll("compression", COMPRESSION, missing);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("required SSH algorithms unavailable: " + missing);
        }
        server.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false, KEX, ServerBuilder.DH2KEX));
        server.setCipherFactories(new ArrayList<NamedFactory<Cipher>>(CIPHERS));
        server.setMacFactories(new ArrayList<NamedFactory<Mac>>(MACS));
        server.setSignatureFactories(new ArrayList<NamedFactory<Signature>>(SIGNATURES));
        server.setCompressionFactories(new ArrayList<NamedFactory<Compression>>(COMPRESSION));
        server.setSessionFactory(ClientFittedSession.factory(server));
        server.addSessionListener(new ClientFittedProposal());
        log.info("ssh algorithms: kex={} ciphers={} (to clients without GCM: {}) macs={} (to CTR clients without"
                + " -etm MACs: {}) signatures={} compression={}", names(KEX), names(CIPHERS_GCM), names(CIPHERS_CTR),
                names(MACS_ETM), names(MACS_PLAIN), names(SIGNATURES), names(COMPRESSION));
    }

    private static <T extends OptionalFeature & org.apache.sshd.common.NamedResource> void requireAll(
            String kind, List<T> list, List<String> missing) {
        for (T t : list) {
            if (!t.isSupported()) {
                missing.add(kind + " " + t.getName());
            }
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    static String names(List<? extends org.apache.sshd.common.NamedResource> list) {
        return list.stream().map(org.apache.sshd.common.NamedResource::getName).collect(Collectors.joining(","));
    }

    /** For tests: the KEX list's names as offered. */
    static List<KeyExchangeFactory> kexFactories() {
        return NamedFactory.setUpTransformedFactories(false, KEX, ServerBuilder.DH2KEX);
    }
}
