package fi.callgate.store;

import static fi.callgate.store.StoreFixture.full;
import static fi.callgate.store.StoreFixture.minimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignKeyStoreTest {
    @TempDir
    Path dir;

    @Test
    void aKeyIsCreatedOnceStoredOnlyWrappedAndSurvivesARestart() throws Exception {
        Path keyFile = CampaignKeyStore.defaultKeyDir(dir).resolve("c1.key");
        byte[] sealed;
        try (StoreFixture f = new StoreFixture(dir)) {
            f.campaign("c1", "Org");
            DataKey k = f.keys.forCampaign("c1");
            assertThat(f.keys.forCampaign("c1")).isSameAs(k);
            sealed = k.seal(new byte[] {1, 2, 3}, new byte[0]);
            assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.size(keyFile)).isEqualTo(32);
            byte[] wrapped = wrappedKey(f, "c1");
            assertThat(wrapped).hasSize(1 + 12 + 32 + 16);
        }
        try (StoreFixture f = new StoreFixture(dir)) {
            assertThat(f.keys.forCampaign("c1").open(sealed, new byte[0])).containsExactly(1, 2, 3);
        }
    }

    @Test
    void destroyShredsTheKeyFileAndTheWrappedKeyAndIsFinal() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            f.campaign("c1", "Org");
            f.campaign("c2", "Org");
            f.keys.forCampaign("c1");
            f.keys.forCampaign("c2");
            f.keys.destroy("c1");

            assertThat(CampaignKeyStore.defaultKeyDir(dir).resolve("c1.key")).doesNotExist();
            assertThat(CampaignKeyStore.defaultKeyDir(dir).resolve("c2.key")).exists();
            assertThat(wrappedKey(f, "c1")).isNull();
            assertThat(f.keys.isDestroyed("c1")).isTrue();
            assertThat(f.keys.isDestroyed("c2")).isFalse();
            assertThatThrownBy(() -> f.keys.forCampaign("c1"))
                    .isInstanceOf(CampaignKeyStore.CampaignKeyDestroyedException.class)
                    .hasMessageContaining("c1").hasMessageContaining("destroyed");
            f.keys.destroy("c1"); // idempotent
            // CHECKPOINT ran: HSQLDB's redo log, which held the wrapped key, is empty again
            Path log = f.db.location().resolve("callgate.log");
            assertThat(!Files.exists(log) || Files.size(log) == 0).as("empty .log after destroy").isTrue();
        }
        try (StoreFixture f = new StoreFixture(dir)) {
            assertThatThrownBy(() -> f.keys.forCampaign("c1"))
                    .isInstanceOf(CampaignKeyStore.CampaignKeyDestroyedException.class);
            assertThat(f.keys.forCampaign("c2")).isNotNull();
        }
    }

    @Test
    void aCampaignDestroyedBeforeItHadAKeyCanNeverGetOne() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            f.campaign("c1", "Org");
            f.keys.destroy("c1");
            assertThatThrownBy(() -> f.keys.forCampaign("c1"))
                    .isInstanceOf(CampaignKeyStore.CampaignKeyDestroyedException.class);
            assertThat(CampaignKeyStore.defaultKeyDir(dir).resolve("c1.key")).doesNotExist();
        }
    }

    @Test
    void campaignIdsThatCouldEscapeTheKeyDirectoryAreRefused() throws Exception {
        try (StoreFixture f = new StoreFixture(dir)) {
            for (String bad : new String[] {"../x", ".hidden", "a/b", "", "x".repeat(41)}) {
                assertThatThrownBy(() -> f.keys.forCampaign(bad)).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void recoverFinishesAnInterruptedDestroyAndRemovesOrphanSecrets() throws Exception {
        Path keyDir = CampaignKeyStore.defaultKeyDir(dir);
        try (StoreFixture f = new StoreFixture(dir)) {
            f.campaign("c1", "Org");
            f.campaign("c2", "Org");
            f.keys.forCampaign("c1");
            f.keys.forCampaign("c2");
            // crash after the tombstone was committed but before the file was shredded
            f.db.withConnection(c -> c.createStatement().executeUpdate("UPDATE campaign_key SET wrapped_key = NULL,"
                    + " destroyed_at = CURRENT_TIMESTAMP WHERE campaign = 'c1'"));
            // crash after a secret was written but before its row was committed
            MasterKey.SecretFiles.writeAtomically(keyDir.resolve("c3.key"), new byte[32]);
        }
        try (StoreFixture f = new StoreFixture(dir)) {
            assertThat(f.keys.recover()).isEqualTo(2);
            assertThat(keyDir.resolve("c1.key")).doesNotExist();
            assertThat(keyDir.resolve("c3.key")).doesNotExist();
            assertThat(keyDir.resolve("c2.key")).exists();
            assertThat(f.keys.forCampaign("c2")).isNotNull();
        }
    }

    /**
     * The crypto-shredding claim, tested honestly: a copy of the database taken BEFORE the shredding still
     * contains the campaign's wrapped data key, and Callgate still has the master key. What it no longer has
     * is the campaign's secret (the key file, which is not part of database backups), so the copy's records
     * of that campaign cannot be decrypted with everything that remains — while the other campaign's records
     * in the very same copy still can (the copy itself is sound).
     */
    @Test
    void aBackupTakenBeforeDestroyCannotBeDecryptedAfterwards() throws Exception {
        Path live = dir.resolve("live");
        Path backup = dir.resolve("backup");
        Path keyDir = CampaignKeyStore.defaultKeyDir(live);
        try (StoreFixture f = new StoreFixture(live)) {
            f.campaign("gone", "Org A");
            f.campaign("kept", "Org B");
            f.upload("u1", "gone");
            f.upload("u2", "kept");
            f.store("u1", "gone", List.of(full(2, "Shredded", "Person", "+358401234567", "s@p.fi", "00100")));
            f.store("u2", "kept", List.of(minimal(2, "Kept", "Person", "+358407654321")));
        }
        copyTree(live.resolve("db"), backup.resolve("db")); // a cold backup of the database
        copyTree(live.resolve("records"), backup.resolve("records")); // and of the record files

        // Control: before the shredding, the backup plus what Callgate holds does decrypt both campaigns.
        try (StoreFixture copy = new StoreFixture(backup, keyDir)) {
            assertThat(copy.records.activeRecords("u1")).hasSize(1);
            assertThat(copy.records.activeRecords("u2")).hasSize(1);
        }

        try (StoreFixture f = new StoreFixture(live)) {
            f.keys.destroy("gone");
            assertThat(wrappedKey(f, "gone")).isNull();
            assertThat(f.records.activeRecords("u1").toList()).as("live rows of a shredded campaign are skipped").isEmpty();
        }

        try (StoreFixture copy = new StoreFixture(backup, keyDir)) {
            // The old copy still holds the wrapped key and the encrypted record…
            assertThat(wrappedKey(copy, "gone")).isNotNull();
            assertThat(copy.records.count("gone")).isEqualTo(1);
            // …but with the master key and the current key directory it can no longer be unwrapped.
            assertThatThrownBy(() -> copy.records.activeRecords("u1").toList())
                    .isInstanceOf(StoreException.class).hasMessageContaining("cannot be decrypted");
            assertThatThrownBy(() -> copy.records.findByEmail("s@p.fi")).isInstanceOf(StoreException.class);
            // Nor by a wrapping key derived from the master key alone (the naive scheme this one avoids).
            byte[] wrapped = wrappedKey(copy, "gone");
            DataKey masterOnly = new DataKey(StoreFixture.MASTER.derive("campaign-key-wrap"));
            assertThatThrownBy(() -> masterOnly.open(wrapped, "callgate:campaign-key:gone".getBytes()))
                    .isInstanceOf(DataKey.UndecryptableException.class);
            // The other campaign in the same copy is untouched.
            assertThat(copy.records.activeRecords("u2")).extracting(r -> r.record().firstName())
                    .containsExactly("Kept");
        }
    }

    private static byte[] wrappedKey(StoreFixture f, String campaign) {
        return f.db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT wrapped_key FROM campaign_key WHERE campaign = ?")) {
                ps.setString(1, campaign);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    return rs.getBytes(1);
                }
            }
        });
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
