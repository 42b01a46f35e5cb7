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
 * The algorithm lists of STACK.md, set explicitly (MINA's defaults still offer SHA-1, CBC and zlib).
 * Post-quantum hybrids first; only GCM ciphers (chacha20 is pure Java in MINA and the slowest, and
 * without it every current client picks aes128-gcm); encrypt-then-MAC only; no compression. MINA drops
 * unsupported names silently, so each is checked and start-up refused if one is missing.
 */
public final class SshAlgorithms {
    private static final Logger log = LoggerFactory.getLogger(SshAlgorithms.class);

    static final List<BuiltinDHFactories> KEX = List.of(BuiltinDHFactories.mlkem768x25519,
            BuiltinDHFactories.sntrup761x25519, BuiltinDHFactories.sntrup761x25519_openssh,
            BuiltinDHFactories.curve25519);
    static final List<BuiltinCiphers> CIPHERS = List.of(BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128gcm);
    static final List<BuiltinMacs> MACS = List.of(BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512etm);
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
        log.info("ssh algorithms: kex={} ciphers={} macs={} signatures={} compression={}", names(KEX),
                names(CIPHERS), names(MACS), names(SIGNATURES), names(COMPRESSION));
    }

    private static <T extends OptionalFeature & org.apache.sshd.common.NamedResource> void requireAll(
            String kind, List<T> list, List<String> missing) {
        for (T t : list) {
            if (!t.isSupported()) {
                missing.add(kind + " " + t.getName());
            }
        }
    }

    static String names(List<? extends org.apache.sshd.common.NamedResource> list) {
        return list.stream().map(org.apache.sshd.common.NamedResource::getName).collect(Collectors.joining(","));
    }

    /** For tests: the KEX list's names as offered. */
    static List<KeyExchangeFactory> kexFactories() {
        return NamedFactory.setUpTransformedFactories(false, KEX, ServerBuilder.DH2KEX);
    }
}
