package fi.callgate.crypto;

import fi.callgate.crypto.DecryptMeter.CountingInput;
import fi.callgate.crypto.DecryptMeter.ExpandedInput;
import fi.callgate.crypto.DecryptMeter.LimitIOException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipException;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.PacketTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
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
 * <p>Memory is bounded for any input: the packet framing of every layer is read by {@link PacketReader}
 * before BouncyCastle sees it, so no packet is ever buffered whole (see there), and armor headers are
 * bounded by {@link ArmorHeaderGuard}. Signer rules are {@link SignaturePolicy}'s.
 *
 * <p>Crypto providers: the session key is unwrapped with BouncyCastle (X25519 with the RFC 6637
 * KDF is not a JDK algorithm), the bulk AES-CFB and the MDC/digests run on the JDK's providers.
 */
public final class PgpDecryptor {
    /** More session key packets than any real message has (one per recipient key). */
    static final int MAX_SESSION_KEYS = 64;
    /** More one-pass signature or signature packets than any real message has (one per signer). */
    static final int MAX_SIGNATURES = 16;

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
        DecryptMeter meter = new DecryptMeter(limits);
        CountingInput raw = new CountingInput(encrypted, meter);
        try {
            return new Run(meter, raw, key, new SignaturePolicy(clock, requiredSigner), sink).run();
        } catch (DecryptRefusal r) {
            throw r.exception;
        }
    }

    private static DecryptRefusal refuse(DecryptFailure f, String message) {
        return DecryptRefusal.of(f, message);
    }

    /** The stream the sink sees: limits, signature hashing, and error classification. */
    private static final class PlaintextInput extends InputStream {
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
    private static final class Run {
        final DecryptMeter meter;
        final CountingInput raw;
        final GatewayKey key;
        final SignaturePolicy signatures;
        final PlaintextSink sink;
        PgpDecryptException recorded;
        boolean insideEncryption;

        Run(DecryptMeter meter, CountingInput raw, GatewayKey key, SignaturePolicy signatures, PlaintextSink sink) {
            this.meter = meter;
            this.raw = raw;
            this.key = key;
            this.signatures = signatures;
            this.sink = sink;
        }

        /** Maps an exception from BC's stream stack (or a packet reader) to a reason. */
        PgpDecryptException classify(Throwable e) {
            if (e instanceof DecryptRefusal r) {
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

        /**
         * The next packet header of a layer, markers and padding dropped (read whole, so only if small: a
         * gibibyte of "padding" is refused on its header like any other oversized packet); refusals carry
         * their reason.
         */
        PacketReader.Header next(PacketReader layer) {
            PacketReader.Header h = nextAny(layer);
            while (h != null && (h.tag() == PacketTags.MARKER || h.tag() == PacketTags.PADDING)) {
                small(layer, h);
                h = nextAny(layer);
            }
            return h;
        }

        PacketReader.Header nextAny(PacketReader layer) {
            try {
                return layer.next();
            } catch (IOException | RuntimeException e) {
                throw new DecryptRefusal(classify(e));
            }
        }

        byte[] small(PacketReader layer, PacketReader.Header h) {
            try {
                return layer.small(h);
            } catch (IOException | RuntimeException e) {
                throw new DecryptRefusal(classify(e));
            }
        }

        /** BouncyCastle's object for exactly the packets in {@code packets}; anything else is refused. */
        <T> T parse(InputStream packets, Class<T> type, String what) {
            Object o;
            try {
                o = new BcPGPObjectFactory(packets).nextObject();
            } catch (IOException | RuntimeException e) {
                throw new DecryptRefusal(classify(e));
            }
            if (!type.isInstance(o)) {
                throw refuse(DecryptFailure.MALFORMED, "a " + what + " packet that does not parse as one");
            }
            return type.cast(o);
        }

        /** Binary input as it is; armored input through BC's armor reader, its header lines bounded. */
        private InputStream decoded() {
            try {
                BufferedInputStream buffered = new BufferedInputStream(raw, 8192);
                buffered.mark(1);
                int first = buffered.read();
                buffered.reset();
                InputStream in = first >= 0 && (first & 0x80) == 0 ? new ArmorHeaderGuard(buffered, meter) : buffered;
                return PGPUtil.getDecoderStream(in);
            } catch (IOException e) {
                if (meter.tripped != null) {
                    throw new DecryptRefusal(meter.tripped);
                }
                throw DecryptRefusal.of(DecryptFailure.NOT_OPENPGP, "not an OpenPGP message: " + e.getMessage(), e);
            }
        }

        DecryptResult run() throws IOException {
            PacketReader outer = new PacketReader(decoded());
            PGPEncryptedDataList list = encryptedDataList(outer);

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
                        throw DecryptRefusal.of(DecryptFailure.TAMPERED, "the session key for the gateway key cannot be decrypted: " + e.getMessage(), e);
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
                throw DecryptRefusal.of(DecryptFailure.TAMPERED, "the encrypted data does not decrypt with its session key: " + e.getMessage(), e);
            }
            insideEncryption = true;
            Parsed parsed = new Parsed();
            parseLayer(new PacketReader(clear), parsed);
            if (!parsed.literalSeen) {
                throw refuse(DecryptFailure.MALFORMED, "the encrypted data holds no literal data");
            }

            // End of authenticated data: check the MDC before trusting anything, including the signature.
            try {
                if (!mine.verify()) {
                    throw refuse(DecryptFailure.TAMPERED, "integrity check (MDC) failed: the file was modified");
                }
            } catch (PGPException | IOException | RuntimeException e) {
                if (e instanceof DecryptRefusal r) {
                    throw r;
                }
                throw new DecryptRefusal(classify(e));
            }
            Optional<String> verified = signatures.verify(parsed.ops, parsed.sigs);
            // Anything after the encrypted packet (a second message, junk) is refused too, on its header.
            PacketReader.Header trailing = nextAny(outer);
            if (trailing != null) {
                throw refuse(DecryptFailure.MALFORMED, "unexpected " + trailing.name() + " packet after the encrypted data");
            }
            return new DecryptResult(meter.plaintext, meter.ciphertext, parsed.fileName, cipher, parsed.compression,
                    !parsed.signerKeyIds.isEmpty(), verified, parsed.signerKeyIds);
        }

        /** Session key packets and the encrypted data packet of the upload, decided on their headers first. */
        private PGPEncryptedDataList encryptedDataList(PacketReader outer) {
            PacketReader.Header h = next(outer);
            if (h == null) {
                throw refuse(DecryptFailure.NOT_OPENPGP, "not an OpenPGP message (no OpenPGP packets found)");
            }
            ByteArrayOutputStream sessionKeys = new ByteArrayOutputStream();
            int count = 0;
            while (h != null && (h.tag() == PacketTags.PUBLIC_KEY_ENC_SESSION || h.tag() == PacketTags.SYMMETRIC_KEY_ENC_SESSION)) {
                if (++count > MAX_SESSION_KEYS) {
                    throw refuse(DecryptFailure.MALFORMED, "more than " + MAX_SESSION_KEYS + " session key packets");
                }
                sessionKeys.writeBytes(small(outer, h));
                h = next(outer);
            }
            if (h == null) {
                throw refuse(DecryptFailure.TRUNCATED, "session key packets but no encrypted data");
            }
            boolean encryptedData = h.tag() == PacketTags.SYM_ENC_INTEGRITY_PRO || h.tag() == PacketTags.SYMMETRIC_KEY_ENC
                    || h.tag() == PacketTags.AEAD_ENC_DATA;
            if (!encryptedData && count > 0) {
                throw refuse(DecryptFailure.MALFORMED, "a " + h.name() + " packet where the encrypted data should be");
            }
            if (!encryptedData) {
                switch (h.tag()) {
                    case PacketTags.COMPRESSED_DATA, PacketTags.LITERAL_DATA, PacketTags.ONE_PASS_SIGNATURE,
                         PacketTags.SIGNATURE, PacketTags.PUBLIC_KEY, PacketTags.SECRET_KEY, PacketTags.PUBLIC_SUBKEY,
                         PacketTags.SECRET_SUBKEY ->
                            throw refuse(DecryptFailure.NOT_ENCRYPTED, "an OpenPGP " + h.name() + " packet, not an encrypted message");
                    default ->
                            // e.g. a UTF-8 BOM parses as an unknown packet tag: just a non-OpenPGP file
                            throw refuse(DecryptFailure.NOT_OPENPGP, "not an OpenPGP message (starts with an unknown packet, "
                                    + h.name() + ")");
                }
            }
            InputStream packets = new SequenceInputStream(new ByteArrayInputStream(sessionKeys.toByteArray()),
                    outer.stream(h));
            return parse(packets, PGPEncryptedDataList.class, h.name());
        }

        /** Walks compressed / one-pass-signature / literal / signature packets of one layer inside the encryption. */
        private void parseLayer(PacketReader layer, Parsed p) throws IOException {
            PacketReader.Header h = next(layer);
            while (h != null) {
                if (h.tag() == PacketTags.COMPRESSED_DATA) {
                    if (p.compressed || p.literalSeen || p.opsList != null) {
                        throw refuse(DecryptFailure.NESTED_COMPRESSION, "compressed data inside compressed data");
                    }
                    PGPCompressedData cd = parse(layer.stream(h), PGPCompressedData.class, h.name());
                    p.compressed = true;
                    p.compression = compressionName(cd.getAlgorithm());
                    try {
                        parseLayer(new PacketReader(new ExpandedInput(cd.getDataStream(), meter)), p);
                    } catch (PGPException e) {
                        throw DecryptRefusal.of(DecryptFailure.MALFORMED, "unsupported compression: " + e.getMessage(), e);
                    }
                } else if (h.tag() == PacketTags.ONE_PASS_SIGNATURE && !p.literalSeen && p.opsList == null) {
                    h = group(layer, h, PacketTags.ONE_PASS_SIGNATURE, p, true);
                    continue;
                } else if (h.tag() == PacketTags.LITERAL_DATA && !p.literalSeen) {
                    p.literalSeen = true;
                    p.ops = signatures.choose(p.opsList);
                    PGPLiteralData lit = parse(layer.stream(h), PGPLiteralData.class, h.name());
                    p.fileName = lit.getFileName();
                    deliver(p, lit);
                } else if (h.tag() == PacketTags.SIGNATURE && p.literalSeen && p.sigs == null) {
                    h = group(layer, h, PacketTags.SIGNATURE, p, false);
                    continue;
                } else if (h.tag() == PacketTags.SIGNATURE && !p.literalSeen) {
                    throw refuse(signatures.required() ? DecryptFailure.SIGNATURE_MISSING : DecryptFailure.MALFORMED,
                            "signature before the data (old-style signed message); sign with a one-pass signature (gpg --sign)");
                } else {
                    throw refuse(DecryptFailure.MALFORMED, "unexpected " + h.name() + " packet in the encrypted data");
                }
                h = next(layer);
            }
        }

        /** A run of one-pass signature or signature packets, each small, a bounded number; returns the header after it. */
        private PacketReader.Header group(PacketReader layer, PacketReader.Header h, int tag, Parsed p, boolean onePass) {
            ByteArrayOutputStream packets = new ByteArrayOutputStream();
            int count = 0;
            while (h != null && h.tag() == tag) {
                if (++count > MAX_SIGNATURES) {
                    throw refuse(DecryptFailure.MALFORMED, "more than " + MAX_SIGNATURES + " " + h.name() + " packets");
                }
                packets.writeBytes(small(layer, h));
                h = next(layer);
            }
            InputStream in = new ByteArrayInputStream(packets.toByteArray());
            if (onePass) {
                p.opsList = parse(in, PGPOnePassSignatureList.class, PacketReader.name(tag));
                for (PGPOnePassSignature ops : p.opsList) {
                    p.signerKeyIds.add(String.format("%016X", ops.getKeyID()));
                }
            } else {
                p.sigs = parse(in, PGPSignatureList.class, PacketReader.name(tag));
            }
            return h;
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
            } catch (DecryptRefusal r) {
                throw r;
            } catch (RuntimeException e) {
                if (recorded != null) {
                    throw new DecryptRefusal(recorded);
                }
                throw e;
            }
            if (recorded != null) {
                throw new DecryptRefusal(recorded);
            }
            if (sinkError != null) {
                if (sinkError instanceof LimitIOException l) {
                    throw new DecryptRefusal(l.exception);
                }
                throw sinkError; // the sink's own failure: not a PGP verdict
            }
            counted.drain();
            if (recorded != null) {
                throw new DecryptRefusal(recorded);
            }
        }
    }

    private static final class Parsed {
        boolean compressed;
        boolean literalSeen;
        String compression = "none";
        PGPOnePassSignatureList opsList;
        PGPOnePassSignature ops;
        PGPSignatureList sigs;
        String fileName = "";
        List<String> signerKeyIds = new ArrayList<>();
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
