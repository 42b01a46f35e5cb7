package fi.callgate.crypto;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipException;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JceSessionKeyDataDecryptorFactoryBuilder;

/**
 * Streaming decryption of uploads encrypted to the gateway key, with every check a gateway needs
 * that Camel's PGP data format lacks (integrity required, exact signer, expiry, size, ratio,
 * nesting, time). Thread-safe and stateless: one instance can serve all uploads.
 *
 * <p>Order of checks, chosen so that no plaintext leaves before it can:
 * <ol>
 * <li>packet structure, recipient, cipher and integrity protection (SED without MDC is refused
 *     here), signature presence and signer identity (from the one-pass signature packet) — all
 *     before the {@link PlaintextSink} is called;
 * <li>size, ratio, nesting and time while the plaintext streams;
 * <li>MDC and the signature itself at the end. Only then does {@code decrypt} return.
 * </ol>
 * Hence the contract in {@link PlaintextSink}: what the sink received is provisional until
 * {@code decrypt} returns normally.
 *
 * <p>Crypto providers: the session key is unwrapped with BouncyCastle (X25519 with the RFC 6637
 * KDF is not a JDK algorithm), the bulk AES-CFB and the MDC/digests run on the JDK's providers.
 */
public final class PgpDecryptor {
    private final Clock clock;

    public PgpDecryptor() {
        this(Clock.systemUTC());
    }

    /** {@code clock} decides key expiry (tests); the time limit always uses the monotonic clock. */
    public PgpDecryptor(Clock clock) {
        this.clock = clock;
    }

    /**
     * Decrypts {@code encrypted} (binary or ASCII-armored) and hands the plaintext to {@code sink}
     * as it is decrypted.
     *
     * @param requiredSigner if present, the message must be one-pass signed by one of this key's
     *                       signing keys, and the signature must verify; if empty, signatures are
     *                       neither required nor verified (their key ids are reported)
     * @return only when the whole message is authentic and within limits
     * @throws PgpDecryptException the upload is refused; discard everything the sink received
     * @throws IOException         reading the input failed, or the sink threw for its own reasons
     */
    public DecryptResult decrypt(InputStream encrypted, GatewayKey key, Optional<ControllerKey> requiredSigner,
            DecryptLimits limits, PlaintextSink sink) throws PgpDecryptException, IOException {
        Meter meter = new Meter(limits);
        CountingInput raw = new CountingInput(encrypted, meter);
        try {
            return new Run(meter, raw, key, requiredSigner, sink).run();
        } catch (Refusal r) {
            throw r.exception;
        }
    }

    /** Unchecked carrier so refusals cross BouncyCastle's stream code unchanged. */
    private static final class Refusal extends RuntimeException {
        final PgpDecryptException exception;

        Refusal(PgpDecryptException e) {
            super(e.getMessage(), null, false, false);
            this.exception = e;
        }
    }

    /** IOException raised inside streams when a limit trips; carries the reason out of BC's reads. */
    static final class LimitIOException extends IOException {
        final PgpDecryptException exception;

        LimitIOException(PgpDecryptException e) {
            super(e.getMessage());
            this.exception = e;
        }
    }

    private static Refusal refuse(DecryptFailure f, String message) {
        return new Refusal(new PgpDecryptException(f, message));
    }

    private static Refusal refuse(DecryptFailure f, String message, Throwable cause) {
        return new Refusal(new PgpDecryptException(f, message, cause));
    }

    /** Counters and limits shared by the stream wrappers; remembers the first limit hit. */
    static final class Meter {
        final DecryptLimits limits;
        final long deadlineNanos;
        long ciphertext;
        long expanded;
        long plaintext;
        boolean rawEof;
        PgpDecryptException tripped;

        Meter(DecryptLimits limits) {
            this.limits = limits;
            this.deadlineNanos = System.nanoTime() + limits.maxDuration().toNanos();
        }

        void checkTime() throws LimitIOException {
            if (System.nanoTime() - deadlineNanos > 0) {
                trip(DecryptFailure.TIMEOUT, "decryption took longer than " + limits.maxDuration());
            }
        }

        void addExpanded(long n) throws LimitIOException {
            expanded += n;
            if (expanded > limits.maxPlaintextBytes() + (1 << 20)) {
                trip(DecryptFailure.TOO_LARGE, "decompressed data exceeds " + limits.maxPlaintextBytes() + " bytes");
            }
            if (expanded > limits.ratioGraceBytes() && expanded > limits.maxCompressionRatio() * Math.max(ciphertext, 1)) {
                trip(DecryptFailure.COMPRESSION_RATIO, "decompressed " + expanded + " bytes from " + ciphertext
                        + " bytes of input, ratio over " + limits.maxCompressionRatio());
            }
        }

        void addPlaintext(long n) throws LimitIOException {
            plaintext += n;
            if (plaintext > limits.maxPlaintextBytes()) {
                trip(DecryptFailure.TOO_LARGE, "plaintext exceeds " + limits.maxPlaintextBytes() + " bytes");
            }
        }

        void trip(DecryptFailure f, String message) throws LimitIOException {
            if (tripped == null) {
                tripped = new PgpDecryptException(f, message);
            }
            throw new LimitIOException(tripped);
        }
    }

    /** Counts ciphertext bytes (for the ratio) and notices the end of input (for TRUNCATED). */
    static final class CountingInput extends FilterInputStream {
        private final Meter meter;

        CountingInput(InputStream in, Meter meter) {
            super(in);
            this.meter = meter;
        }

        @Override
        public int read() throws IOException {
            meter.checkTime();
            int b = super.read();
            if (b < 0) {
                meter.rawEof = true;
            } else {
                meter.ciphertext++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            meter.checkTime();
            int n = super.read(b, off, len);
            if (n < 0) {
                meter.rawEof = true;
            } else {
                meter.ciphertext += n;
            }
            return n;
        }

        @Override
        public boolean markSupported() {
            return false; // PGPUtil.getDecoderStream wraps in a BufferedInputStream itself
        }
    }

    /** Counts decompressed bytes: the size/ratio guard against zip bombs, before BC parses them. */
    static final class ExpandedInput extends FilterInputStream {
        private final Meter meter;

        ExpandedInput(InputStream in, Meter meter) {
            super(in);
            this.meter = meter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                meter.addExpanded(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                meter.addExpanded(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return read(new byte[(int) Math.min(n, 8192)]); // never skip past the meter
        }
    }

    /** The stream the sink sees: limits, signature hashing, and error classification. */
    private final class PlaintextInput extends InputStream {
        private final InputStream in;
        private final Run run;
        private final PGPOnePassSignature ops;
        private final boolean countExpanded;
        private boolean eof;

        PlaintextInput(InputStream in, Run run, PGPOnePassSignature ops, boolean countExpanded) {
            this.in = in;
            this.run = run;
            this.ops = ops;
            this.countExpanded = countExpanded;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (eof) {
                return -1;
            }
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                PgpDecryptException why = run.classify(e);
                run.recorded = why;
                throw new LimitIOException(why);
            }
            if (n < 0) {
                eof = true;
                return -1;
            }
            try {
                run.meter.addPlaintext(n);
                if (countExpanded) {
                    run.meter.addExpanded(n);
                }
            } catch (LimitIOException e) {
                run.recorded = e.exception;
                throw e;
            }
            if (ops != null) {
                ops.update(b, off, n);
            }
            return n;
        }

        void drain() throws IOException {
            byte[] buf = new byte[64 * 1024];
            while (read(buf, 0, buf.length) >= 0) {
                // counted, hashed and checked by read()
            }
        }

        @Override
        public void close() {
            // the decryptor owns the underlying stream; it drains it for the MDC
        }
    }

    /** One decryption: state that would otherwise be a dozen parameters. */
    private final class Run {
        final Meter meter;
        final CountingInput raw;
        final GatewayKey key;
        final Optional<ControllerKey> requiredSigner;
        final PlaintextSink sink;
        PgpDecryptException recorded;
        boolean insideEncryption;

        Run(Meter meter, CountingInput raw, GatewayKey key, Optional<ControllerKey> requiredSigner, PlaintextSink sink) {
            this.meter = meter;
            this.raw = raw;
            this.key = key;
            this.requiredSigner = requiredSigner;
            this.sink = sink;
        }

        /** Maps an exception from BC's stream stack to a reason. */
        PgpDecryptException classify(Throwable e) {
            if (e instanceof Refusal r) {
                return r.exception;
            }
            if (e instanceof LimitIOException l) {
                return l.exception;
            }
            if (meter.tripped != null) {
                return meter.tripped;
            }
            if (!insideEncryption) {
                return new PgpDecryptException(DecryptFailure.NOT_OPENPGP, "not an OpenPGP message: " + e.getMessage(), e);
            }
            if (e instanceof EOFException || meter.rawEof && isEofLike(e)) {
                return new PgpDecryptException(DecryptFailure.TRUNCATED, "the message ends early (" + e.getMessage() + ")", e);
            }
            if (e instanceof ZipException) {
                return new PgpDecryptException(DecryptFailure.TAMPERED, "compressed data is corrupt: " + e.getMessage(), e);
            }
            // Inside an integrity-protected packet any other parse error means the bytes were changed.
            return new PgpDecryptException(DecryptFailure.TAMPERED, "decrypted data is corrupt: " + e.getMessage(), e);
        }

        private boolean isEofLike(Throwable e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            return m.contains("end of") || m.contains("premature") || m.contains("truncat") || m.contains("eof");
        }

        Object next(BcPGPObjectFactory f) {
            try {
                return f.nextObject();
            } catch (IOException | RuntimeException e) {
                throw new Refusal(classify(e));
            }
        }

        DecryptResult run() throws IOException {
            InputStream decoded;
            try {
                decoded = PGPUtil.getDecoderStream(raw);
            } catch (IOException e) {
                if (meter.tripped != null) {
                    throw new Refusal(meter.tripped);
                }
                throw refuse(DecryptFailure.NOT_OPENPGP, "not an OpenPGP message: " + e.getMessage(), e);
            }
            BcPGPObjectFactory outer = new BcPGPObjectFactory(decoded);
            Object first = next(outer);
            while (first instanceof PGPMarker) {
                first = next(outer);
            }
            if (first == null) {
                throw refuse(DecryptFailure.NOT_OPENPGP, "not an OpenPGP message (no OpenPGP packets found)");
            }
            if (!(first instanceof PGPEncryptedDataList list)) {
                boolean knownOpenPgp = first instanceof PGPCompressedData || first instanceof PGPLiteralData
                        || first instanceof PGPOnePassSignatureList || first instanceof PGPSignatureList
                        || first instanceof org.bouncycastle.openpgp.PGPPublicKeyRing
                        || first instanceof org.bouncycastle.openpgp.PGPSecretKeyRing;
                if (!knownOpenPgp) {
                    // e.g. a UTF-8 BOM parses as an unknown packet tag: just a non-OpenPGP file
                    throw refuse(DecryptFailure.NOT_OPENPGP, "not an OpenPGP message (starts with an unknown packet)");
                }
                throw refuse(DecryptFailure.NOT_ENCRYPTED, "an OpenPGP " + describe(first) + ", not an encrypted message");
            }

            PGPPublicKeyEncryptedData mine = null;
            PGPSessionKey sessionKey = null;
            List<String> recipients = new ArrayList<>();
            boolean passphraseOnly = true;
            for (PGPEncryptedData d : list) {
                if (d instanceof PGPPBEEncryptedData) {
                    continue;
                }
                passphraseOnly = false;
                if (d instanceof PGPPublicKeyEncryptedData pk) {
                    recipients.add(String.format("%016X", pk.getKeyID()));
                    boolean forUs = pk.getKeyID() == key.encryptionKey().getKeyID();
                    boolean wildcard = pk.getKeyID() == 0L; // gpg --throw-keyids
                    if (!forUs && !wildcard) {
                        continue;
                    }
                    // Integrity first: SED (tag 9) is refused before any key is even used.
                    if (!pk.isIntegrityProtected()) {
                        throw refuse(DecryptFailure.NO_INTEGRITY_PROTECTION,
                                "legacy encrypted data without integrity protection (no MDC); re-encrypt with a current OpenPGP tool");
                    }
                    if (pk.isAEAD()) {
                        throw refuse(DecryptFailure.UNSUPPORTED_ALGORITHM,
                                "AEAD-encrypted data (OCB/SEIPD v2) is not accepted; the gateway key advertises only SEIPD v1 with MDC");
                    }
                    try {
                        sessionKey = pk.getSessionKey(new JcePublicKeyDataDecryptorFactoryBuilder()
                                .setProvider(Providers.BC).build(key.decryptionPrivateKey()));
                        mine = pk;
                        break;
                    } catch (PGPException | RuntimeException e) {
                        if (wildcard) {
                            continue; // a hidden recipient that is not us
                        }
                        throw refuse(DecryptFailure.TAMPERED, "the session key for the gateway key cannot be decrypted: " + e.getMessage(), e);
                    }
                }
            }
            if (mine == null) {
                if (passphraseOnly) {
                    throw refuse(DecryptFailure.WRONG_RECIPIENT, "encrypted with a passphrase only, not to the gateway key");
                }
                throw refuse(DecryptFailure.WRONG_RECIPIENT, "not encrypted to the gateway key "
                        + String.format("%016X", key.encryptionKey().getKeyID()) + " (recipients: " + String.join(", ", recipients) + ")");
            }
            String cipher = cipherName(sessionKey.getAlgorithm());
            if (cipher == null) {
                throw refuse(DecryptFailure.UNSUPPORTED_ALGORITHM, "cipher algorithm " + sessionKey.getAlgorithm()
                        + " is refused; use AES (GnuPG does so for the gateway key by default)");
            }

            InputStream clear;
            try {
                // Bulk decryption on the JDK's AES (AES-NI); see Providers.
                clear = mine.getDataStream(new JceSessionKeyDataDecryptorFactoryBuilder().build(sessionKey));
            } catch (PGPException | RuntimeException e) {
                throw refuse(DecryptFailure.TAMPERED, "the encrypted data does not decrypt with its session key: " + e.getMessage(), e);
            }
            insideEncryption = true;
            Parsed parsed = parseContent(new BcPGPObjectFactory(clear));

            // End of authenticated data: check the MDC before trusting anything, including the signature.
            try {
                if (!mine.verify()) {
                    throw refuse(DecryptFailure.TAMPERED, "integrity check (MDC) failed: the file was modified");
                }
            } catch (PGPException | IOException | RuntimeException e) {
                if (e instanceof Refusal r) {
                    throw r;
                }
                throw new Refusal(classify(e));
            }
            Optional<String> verified = verifySignature(parsed);
            // Anything after the encrypted packet (a second message, junk) is refused too.
            Object trailing = next(outer);
            if (trailing != null) {
                throw refuse(DecryptFailure.MALFORMED, "unexpected " + describe(trailing) + " after the encrypted data");
            }
            return new DecryptResult(meter.plaintext, meter.ciphertext, parsed.fileName, cipher, parsed.compression,
                    !parsed.signerKeyIds.isEmpty(), verified, parsed.signerKeyIds);
        }

        /** Walks compressed / one-pass-signature / literal / signature packets inside the encryption. */
        private Parsed parseContent(BcPGPObjectFactory factory) throws IOException {
            Parsed p = new Parsed();
            boolean literalSeen = false;
            Object o;
            while ((o = next(factory)) != null) {
                if (o instanceof PGPCompressedData cd) {
                    if (p.compressed || literalSeen || p.opsList != null) {
                        throw refuse(DecryptFailure.NESTED_COMPRESSION, "compressed data inside compressed data");
                    }
                    p.compressed = true;
                    p.compression = compressionName(cd.getAlgorithm());
                    try {
                        factory = new BcPGPObjectFactory(new ExpandedInput(cd.getDataStream(), meter));
                    } catch (PGPException e) {
                        throw refuse(DecryptFailure.MALFORMED, "unsupported compression: " + e.getMessage(), e);
                    }
                } else if (o instanceof PGPOnePassSignatureList l && !literalSeen) {
                    p.opsList = l;
                    for (PGPOnePassSignature ops : l) {
                        p.signerKeyIds.add(String.format("%016X", ops.getKeyID()));
                    }
                } else if (o instanceof PGPLiteralData lit && !literalSeen) {
                    literalSeen = true;
                    p.ops = chooseSignature(p.opsList);
                    p.fileName = lit.getFileName();
                    deliver(p, lit);
                } else if (o instanceof PGPSignatureList sl && literalSeen) {
                    p.sigs = sl;
                } else if (o instanceof PGPSignatureList && !literalSeen) {
                    throw refuse(requiredSigner.isPresent() ? DecryptFailure.SIGNATURE_MISSING : DecryptFailure.MALFORMED,
                            "signature before the data (old-style signed message); sign with a one-pass signature (gpg --sign)");
                } else if (!(o instanceof PGPMarker)) {
                    throw refuse(DecryptFailure.MALFORMED, "unexpected " + describe(o) + " in the encrypted data");
                }
            }
            if (!literalSeen) {
                throw refuse(DecryptFailure.MALFORMED, "the encrypted data holds no literal data");
            }
            return p;
        }

        /** Signature policy decided from the one-pass signature packets, before any plaintext is released. */
        private PGPOnePassSignature chooseSignature(PGPOnePassSignatureList opsList) {
            if (requiredSigner.isEmpty()) {
                return null;
            }
            ControllerKey controller = requiredSigner.get();
            if (opsList == null || opsList.isEmpty()) {
                throw refuse(DecryptFailure.SIGNATURE_MISSING, "the campaign requires files signed by the controller key "
                        + controller.fingerprint() + "; this file is not signed");
            }
            for (PGPOnePassSignature ops : opsList) {
                Optional<ControllerKey.ValidKey> k = controller.signingKey(ops.getKeyID(), null);
                if (k.isPresent()) {
                    if (k.get().expiredAt(clock.instant())) {
                        throw refuse(DecryptFailure.SIGNER_KEY_EXPIRED_OR_REVOKED, "the controller signing key "
                                + GatewayKey.hex(k.get().key().getFingerprint()) + " expired on " + k.get().expiresAt().get());
                    }
                    try {
                        // JDK providers: the signature hashes the whole plaintext, SHA-2 intrinsics matter.
                        ops.init(new JcaPGPContentVerifierBuilderProvider(), k.get().key());
                    } catch (PGPException e) {
                        try {
                            ops.init(new JcaPGPContentVerifierBuilderProvider().setProvider(Providers.BC), k.get().key());
                        } catch (PGPException e2) {
                            throw refuse(DecryptFailure.UNSUPPORTED_ALGORITHM, "cannot verify this signature type: " + e2.getMessage(), e2);
                        }
                    }
                    return ops;
                }
            }
            List<String> ids = new ArrayList<>();
            opsList.forEach(o -> ids.add(String.format("%016X", o.getKeyID())));
            throw refuse(DecryptFailure.WRONG_SIGNER, "signed by key id " + String.join(", ", ids)
                    + ", which is not a signing key of the campaign's controller key " + controller.fingerprint());
        }

        private void deliver(Parsed p, PGPLiteralData lit) throws IOException {
            InputStream body = lit.getInputStream();
            // Without compression the literal bytes are what expands; with it, ExpandedInput already counts.
            PlaintextInput counted = new PlaintextInput(body, this, p.ops, !p.compressed);
            IOException sinkError = null;
            try {
                sink.consume(counted, p.fileName == null ? "" : p.fileName);
            } catch (IOException e) {
                sinkError = e;
            } catch (Refusal r) {
                throw r;
            } catch (RuntimeException e) {
                if (recorded != null) {
                    throw new Refusal(recorded);
                }
                throw e;
            }
            if (recorded != null) {
                throw new Refusal(recorded);
            }
            if (sinkError != null) {
                if (sinkError instanceof LimitIOException l) {
                    throw new Refusal(l.exception);
                }
                throw sinkError; // the sink's own failure: not a PGP verdict
            }
            counted.drain();
            if (recorded != null) {
                throw new Refusal(recorded);
            }
        }

        private Optional<String> verifySignature(Parsed p) {
            if (p.ops == null) {
                return Optional.empty();
            }
            ControllerKey controller = requiredSigner.orElseThrow();
            if (p.sigs == null) {
                throw refuse(DecryptFailure.BAD_SIGNATURE, "one-pass signature header without a signature packet");
            }
            for (PGPSignature sig : p.sigs) {
                if (sig.getKeyID() != p.ops.getKeyID()) {
                    continue;
                }
                byte[] issuerFpr = sig.getHashedSubPackets() != null && sig.getHashedSubPackets().getIssuerFingerprint() != null
                        ? sig.getHashedSubPackets().getIssuerFingerprint().getFingerprint() : null;
                Optional<ControllerKey.ValidKey> k = controller.signingKey(sig.getKeyID(), issuerFpr);
                if (k.isEmpty()) {
                    throw refuse(DecryptFailure.WRONG_SIGNER, "signature issuer fingerprint does not match the controller key "
                            + controller.fingerprint());
                }
                if (sig.getSignatureType() != PGPSignature.BINARY_DOCUMENT && sig.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
                    throw refuse(DecryptFailure.BAD_SIGNATURE, "not a document signature (type " + sig.getSignatureType() + ")");
                }
                Instant created = sig.getCreationTime().toInstant();
                if (k.get().expiresAt().isPresent() && !created.isBefore(k.get().expiresAt().get())) {
                    throw refuse(DecryptFailure.SIGNER_KEY_EXPIRED_OR_REVOKED, "signature made after the signing key expired");
                }
                try {
                    if (!p.ops.verify(sig)) {
                        throw refuse(DecryptFailure.BAD_SIGNATURE, "the controller's signature does not verify: the file was changed after signing");
                    }
                } catch (PGPException | RuntimeException e) {
                    if (e instanceof Refusal r) {
                        throw r;
                    }
                    throw refuse(DecryptFailure.BAD_SIGNATURE, "the controller's signature cannot be verified: " + e.getMessage(), e);
                }
                return Optional.of(GatewayKey.hex(k.get().key().getFingerprint()));
            }
            throw refuse(DecryptFailure.BAD_SIGNATURE, "no signature packet for the one-pass signature by "
                    + String.format("%016X", p.ops.getKeyID()));
        }
    }

    private static final class Parsed {
        boolean compressed;
        String compression = "none";
        PGPOnePassSignatureList opsList;
        PGPOnePassSignature ops;
        PGPSignatureList sigs;
        String fileName = "";
        List<String> signerKeyIds = new ArrayList<>();
    }

    private static String describe(Object o) {
        return o.getClass().getSimpleName().replaceFirst("^PGP", "");
    }

    /** Allow-list: 128-bit-block ciphers only (no CAST5, 3DES, IDEA, Blowfish: 64-bit blocks). */
    private static String cipherName(int algo) {
        return switch (algo) {
            case SymmetricKeyAlgorithmTags.AES_128 -> "AES128";
            case SymmetricKeyAlgorithmTags.AES_192 -> "AES192";
            case SymmetricKeyAlgorithmTags.AES_256 -> "AES256";
            case SymmetricKeyAlgorithmTags.CAMELLIA_128 -> "CAMELLIA128";
            case SymmetricKeyAlgorithmTags.CAMELLIA_192 -> "CAMELLIA192";
            case SymmetricKeyAlgorithmTags.CAMELLIA_256 -> "CAMELLIA256";
            case SymmetricKeyAlgorithmTags.TWOFISH -> "TWOFISH";
            default -> null;
        };
    }

    private static String compressionName(int algo) {
        return switch (algo) {
            case CompressionAlgorithmTags.ZIP -> "ZIP";
            case CompressionAlgorithmTags.ZLIB -> "ZLIB";
            case CompressionAlgorithmTags.BZIP2 -> "BZIP2";
            case CompressionAlgorithmTags.UNCOMPRESSED -> "none";
            default -> "algorithm " + algo;
        };
    }
}
