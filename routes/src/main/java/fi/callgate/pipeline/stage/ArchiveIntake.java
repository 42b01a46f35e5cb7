package fi.callgate.pipeline.stage;

import fi.callgate.agreement.Agreements;
import fi.callgate.agreement.Method;
import fi.callgate.agreement.Party;
import fi.callgate.crypto.ArchiveDecryptException;
import fi.callgate.crypto.ArchiveDecryptor;
import fi.callgate.crypto.DecryptLimits;
import fi.callgate.files.SealedSpool;
import fi.callgate.intake.Upload;
import fi.callgate.intake.UploadIntake;
import fi.callgate.store.CampaignKeyStore;
import fi.callgate.files.FileShredder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decrypt stage's path for aes-zip agreements: a {@code .7z} or {@code .zip} upload is opened with the
 * passphrase agreed with its sender and its one file streamed into the same sealed plaintext file the
 * OpenPGP path writes. The archive is read through a seekable view that decrypts the spool on the fly
 * (the archive itself is the sender's ciphertext); its plaintext exists only inside the sealed file.
 */
final class ArchiveIntake {
    private static final Logger log = LoggerFactory.getLogger(ArchiveIntake.class);
    private final UploadIntake intake;
    private final Agreements agreements;
    private final CampaignKeyStore campaignKeys;
    private final ArchiveDecryptor decryptor = new ArchiveDecryptor();

    ArchiveIntake(UploadIntake intake, Agreements agreements, CampaignKeyStore campaignKeys) {
        this.intake = intake;
        this.agreements = agreements;
        this.campaignKeys = campaignKeys;
    }

    boolean isArchive(Upload upload) throws IOException {
        try (SeekableByteChannel ch = intake.openSeekable(upload)) {
            return ArchiveDecryptor.sniff(ch).isPresent();
        }
    }

    /**
     * Writes the archive's file, sealed, to {@code tmp}; returns the refusal instead when the archive is
     * not acceptable (then nothing is left behind).
     */
    Optional<UploadReport> decrypt(Upload upload, Party sender, Path tmp, String context, DecryptLimits limits)
            throws IOException {
        if (agreements.store().method(sender) != Method.AES_ZIP) {
            return Optional.of(UploadReport.rejected(upload.originalName(), "METHOD_NOT_AGREED",
                    "an encrypted archive was sent, but the method agreed with you is OpenPGP: encrypt the list to"
                            + " the gateway's OpenPGP key"));
        }
        Optional<char[]> passphrase = agreements.passphrases().of(sender);
        if (passphrase.isEmpty()) {
            return Optional.of(UploadReport.rejected(upload.originalName(), "NO_PASSPHRASE",
                    "no passphrase has been agreed with you yet; ask the gateway's administrator"));
        }
        try (OutputStream sealed = SealedSpool.writer(tmp, campaignKeys.forCampaign(upload.campaign()), context)) {
            var result = decryptor.decrypt(() -> intake.openSeekable(upload), upload.sizeBytes(), passphrase.get(),
                    limits, (plaintext, name) -> plaintext.transferTo(sealed));
            log.info("upload {} opened ({}): {} -> {} bytes", upload.id(), result.format(), result.archiveBytes(),
                    result.plaintextBytes());
            return Optional.empty();
        } catch (ArchiveDecryptException e) {
            FileShredder.shred(tmp);
            return Optional.of(UploadReport.rejected(upload.originalName(), e.failure().name(), e.getMessage()));
        } catch (IOException | RuntimeException e) {
            FileShredder.shred(tmp);
            throw e;
        } finally {
            Arrays.fill(passphrase.get(), '\0');
        }
    }
}
