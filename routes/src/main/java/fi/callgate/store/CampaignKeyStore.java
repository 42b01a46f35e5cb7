package fi.callgate.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-campaign data keys and their crypto-shredding.
 *
 * <h2>Key hierarchy</h2>
 * <pre>
 *   master key (outside data-dir)
 *     └─ W = masterKey.derive("campaign-key-wrap")
 *   campaign secret S_c: 32 random bytes in keys/campaigns/&lt;campaign&gt;.key (600), one per campaign
 *     └─ KEK_c = HMAC-SHA256(W, "callgate:campaign-kek:v1" || len(c) || c || S_c)
 *   data key DEK_c: 32 random bytes
 *     └─ campaign_key.wrapped_key = AES-256-GCM(KEK_c, DEK_c, AAD = "callgate:campaign-key:" || c)
 *   records of campaign c: AES-256-GCM(DEK_c, …) — see {@link RecordCipher}
 * </pre>
 *
 * <h2>Why the extra per-campaign secret</h2>
 * If the data key were wrapped by a key derived from the master key alone, destroying the wrapped key in
 * the live database would not destroy anything in a backup: a copy of the database taken before the
 * shredding still holds the wrapped key, and the master key — which Callgate keeps, because the other
 * campaigns need it — still unwraps it. Crypto-shredding has to destroy something that <em>no</em> copy
 * keeps. That is {@code S_c}: without it {@code KEK_c} cannot be computed, so neither the live database
 * nor any old copy of it can be unwrapped, by anyone, master key or not.
 *
 * <p>This holds only if the key files are not inside the database backups, so they live apart from
 * {@code data-dir/db} (default {@code data-dir/keys/campaigns}, configurable) and the operations guide must
 * exclude that directory from backups, or back it up with a retention no longer than the data's. Deleting
 * a 32-byte file is also far more dependable than purging a value from HSQLDB's data, script and log files.
 * The file is overwritten with zeros and synced before it is unlinked, which helps on ordinary file
 * systems; on copy-on-write or journalled-data file systems or SSDs old blocks may survive, so the key
 * directory belongs on storage where that is acceptable (it is 32 bytes a campaign; a tmpfs backed by
 * a safe place, or an HSM/KMS, are the stronger options later). Losing a key file loses that campaign's
 * data — the same outcome as shredding it, which is acceptable for short-lived call lists.
 *
 * <p>The master key is still needed too: a stolen key file alone (without the master key) decrypts nothing.
 *
 * <h2>Destroying</h2>
 * {@link #destroy} first records the tombstone (wrapped key NULL, destroyed_at set, committed), then
 * shreds the key file, then runs {@code CHECKPOINT} so the wrapped key also leaves HSQLDB's .log file.
 * A crash between those steps leaves a tombstone with a file; {@link #recover()} (run at start) and
 * another {@code destroy} finish the job. A destroyed campaign id never gets a new key: anything stored
 * under it would contradict the deletion receipt.
 */
public final class CampaignKeyStore {
    private static final Logger log = LoggerFactory.getLogger(CampaignKeyStore.class);
    /** Campaign ids become file names: nothing that could escape the directory or hide a file. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final byte[] wrapBase;
    private final Path keyDir;
    private final Clock clock;
    private final Map<String, DataKey> cache = new ConcurrentHashMap<>();

    /**
     * @param keyDir where the per-campaign secrets live; must not be part of database backups
     */
    public CampaignKeyStore(Database db, MasterKey masterKey, Path keyDir, Clock clock) {
        this.db = db;
        this.wrapBase = masterKey.derive("campaign-key-wrap");
        this.keyDir = keyDir.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** The conventional key directory for a data directory. */
    public static Path defaultKeyDir(Path dataDir) {
        return dataDir.resolve("keys").resolve("campaigns");
    }

    /**
     * The campaign's data key, created on first use. Cached unwrapped in memory while the campaign lives
     * (unwrapping costs a file read and a database round trip; records are decrypted by the million).
     *
     * @throws CampaignKeyDestroyedException if the key was shredded
     */
    public DataKey forCampaign(String campaign) {
        DataKey cached = cache.get(campaign);
        if (cached != null) {
            return cached;
        }
        // Serialised: two threads creating the same campaign's key at once would each write a secret file.
        synchronized (this) {
            cached = cache.get(campaign);
            if (cached != null) {
                return cached;
            }
            DataKey key = loadOrCreate(checkId(campaign));
            cache.put(campaign, key);
            return key;
        }
    }

    /** Has the campaign's key been shredded? */
    public boolean isDestroyed(String campaign) {
        return db.withHandle(h -> h.createQuery("SELECT destroyed_at FROM campaign_key WHERE campaign = ?")
                .bind(0, campaign).map((rs, ctx) -> rs.getObject(1) != null).findFirst()).orElse(false);
    }

    /**
     * Crypto-shreds the campaign: afterwards no copy of its records, live or backed up, can be decrypted.
     * Idempotent; also works for a campaign that never had a key (it then can never get one).
     */
    public synchronized void destroy(String campaign) {
        checkId(campaign);
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        db.transaction(h -> {
            int updated = h.createUpdate("UPDATE campaign_key SET wrapped_key = NULL,"
                    + " destroyed_at = COALESCE(destroyed_at, ?) WHERE campaign = ?").bind(0, now).bind(1, campaign)
                    .execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO campaign_key(campaign, wrapped_key, created_at, destroyed_at)"
                        + " VALUES (?, NULL, ?, ?)").bind(0, campaign).bind(1, now).bind(2, now).execute();
            }
            return null;
        });
        cache.remove(campaign);
        shredFile(secretFile(campaign));
        checkpoint();
        log.info("campaign {} data key destroyed (crypto-shredded)", campaign);
    }

    /**
     * Finishes what a crash interrupted: shreds key files of destroyed campaigns, and removes secret files
     * that never got a key row (a crash between writing the file and committing the row). Run at start,
     * before the store is used.
     */
    public synchronized int recover() {
        if (!Files.isDirectory(keyDir)) {
            return 0;
        }
        Set<String> live = db.withHandle(h -> h.createQuery("SELECT campaign FROM campaign_key WHERE destroyed_at IS NULL")
                .mapTo(String.class).set());
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(keyDir, "*.key")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String campaign = name.substring(0, name.length() - ".key".length());
                if (!live.contains(campaign)) {
                    shredFile(f);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot scan the campaign key directory " + keyDir + ": " + e.getMessage(), e);
        }
        return removed;
    }

    private DataKey loadOrCreate(String campaign) {
        record Row(byte[] wrapped, boolean destroyed) {
        }
        Row row = db.withHandle(h -> h.createQuery("SELECT wrapped_key, destroyed_at FROM campaign_key WHERE campaign = ?")
                .bind(0, campaign).map((rs, ctx) -> new Row(rs.getBytes(1), rs.getObject(2) != null)).findFirst()
                .orElse(null));
        if (row != null && row.destroyed()) {
            throw new CampaignKeyDestroyedException(campaign);
        }
        if (row != null) {
            byte[] secret = readSecret(campaign);
            DataKey kek = kek(campaign, secret);
            Arrays.fill(secret, (byte) 0);
            byte[] raw = kek.open(row.wrapped(), wrapAad(campaign));
            try {
                return new DataKey(raw);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
        return create(campaign);
    }

    private DataKey create(String campaign) {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        DataKey dek = DataKey.random();
        byte[] raw = dek.rawCopy();
        Path file = secretFile(campaign);
        try {
            byte[] wrapped = kek(campaign, secret).seal(raw, wrapAad(campaign));
            // The file first: a row whose secret is missing would be a campaign that can never be read;
            // a file without a row is harmless and recover() removes it.
            if (!Files.isDirectory(keyDir)) {
                Files.createDirectories(keyDir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            MasterKey.SecretFiles.writeAtomically(file, secret);
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            db.update("INSERT INTO campaign_key(campaign, wrapped_key, created_at) VALUES (?, ?, ?)", campaign, wrapped,
                    now);
            log.info("campaign {} data key created", campaign);
            return dek;
        } catch (IOException e) {
            throw new StoreException("cannot write the key file of campaign " + campaign + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            shredFile(file);
            throw e;
        } finally {
            Arrays.fill(raw, (byte) 0);
            Arrays.fill(secret, (byte) 0);
        }
    }

    private byte[] readSecret(String campaign) {
        Path file = secretFile(campaign);
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new StoreException("campaign key file " + file + " is readable by others; chmod 600 it");
            }
            byte[] secret = Files.readAllBytes(file);
            if (secret.length != SECRET_BYTES) {
                throw new StoreException("campaign key file " + file + " is damaged (" + secret.length + " bytes)");
            }
            return secret;
        } catch (NoSuchFileException e) {
            throw new StoreException("the key file of campaign " + campaign + " is missing (" + file
                    + "): its records cannot be decrypted", e);
        } catch (IOException e) {
            throw new StoreException("cannot read the key file of campaign " + campaign + ": " + e.getMessage(), e);
        }
    }

    /** KEK_c = HMAC(W, label || len(c) || c || S_c): needs both the master key and the campaign secret. */
    private DataKey kek(String campaign, byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(wrapBase, "HmacSHA256"));
            mac.update("callgate:campaign-kek:v1".getBytes(StandardCharsets.US_ASCII));
            byte[] id = campaign.getBytes(StandardCharsets.UTF_8);
            mac.update(ByteBuffer.allocate(4).putInt(id.length).array());
            mac.update(id);
            byte[] k = mac.doFinal(secret);
            try {
                return new DataKey(k);
            } finally {
                Arrays.fill(k, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] wrapAad(String campaign) {
        return ("callgate:campaign-key:" + campaign).getBytes(StandardCharsets.UTF_8);
    }

    private Path secretFile(String campaign) {
        return keyDir.resolve(campaign + ".key");
    }

    private static String checkId(String campaign) {
        if (campaign == null || !SAFE_ID.matcher(campaign).matches()) {
            throw new IllegalArgumentException("not a valid campaign id for a key file");
        }
        return campaign;
    }

    /** Overwrite with zeros, sync, unlink, sync the directory: best effort against block-level recovery. */
    private void shredFile(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.max(size, SECRET_BYTES));
            while (zeros.hasRemaining()) {
                ch.write(zeros, zeros.position());
            }
            ch.force(true);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            log.warn("could not overwrite {} before deleting it: {}", file, e.getMessage());
        }
        try {
            Files.deleteIfExists(file);
            syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new StoreException("cannot delete campaign key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every platform lets a directory be opened; the unlink still happened.
        }
    }

    /** Rewrites HSQLDB's files and empties its .log, where the old wrapped key would otherwise linger. */
    private void checkpoint() {
        db.withHandle(h -> h.execute("CHECKPOINT"));
    }

    /** The campaign's key was crypto-shredded: its data is gone for good and it takes no new data. */
    public static final class CampaignKeyDestroyedException extends StoreException {
        public CampaignKeyDestroyedException(String campaign) {
            super("the data key of campaign " + campaign + " has been destroyed; its records are unrecoverable"
                    + " and it cannot store new ones");
        }
    }
}
