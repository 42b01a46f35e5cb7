package fi.callgate.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.callgate.store.CampaignStore;
import fi.callgate.store.Database;
import fi.callgate.store.MasterKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passphrases on a real store: generated with 140 bits, refused when short, sealed so that the database
 * holds no plaintext and a sealed value opens only for its own party and master key.
 */
class PassphrasesTest {
    static final MasterKey MASTER = MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32]));
    @TempDir
    Path dir;
    Database db;
    AgreementStore store;
    Passphrases vault;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir, MASTER);
        new CampaignStore(db, Clock.systemUTC()).create(new CampaignStore.NewCampaign("C1", "Acme",
                LocalDate.of(2099, 1, 1), OptionalInt.empty(), false, false, List.of("first_name")));
        store = new AgreementStore(db, Clock.systemUTC());
        vault = new Passphrases(store, MASTER);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void generatedPassphrasesHave140BitsAndDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String p = new String(vault.generate(Party.controller("C1")));
            assertThat(p).matches("[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){6}");
            assertThat(seen.add(p)).isTrue();
            assertThat(new String(vault.of(Party.controller("C1")).orElseThrow())).isEqualTo(p);
        }
    }

    @Test
    void shortPassphrasesAreRefused() {
        assertThatThrownBy(() -> vault.set(Party.controller("C1"), "nineteen characters".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("20");
        assertThat(vault.of(Party.controller("C1"))).isEmpty();
    }

    @Test
    void aSealedPassphraseIsNotPlaintextAndOpensOnlyForItsParty() {
        String p = "the agreed passphrase, quite long";
        vault.set(Party.controller("C1"), p.toCharArray());
        byte[] sealed = store.passphraseSealed(Party.controller("C1")).orElseThrow();
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("agreed");
        // Moved to another party's row, it does not open (bound to campaign and party).
        store.setMethod(Party.supplier("C1", "vendor"), Method.AES_ZIP);
        store.setPassphraseSealed(Party.supplier("C1", "vendor"), sealed);
        assertThatThrownBy(() -> vault.of(Party.supplier("C1", "vendor"))).isInstanceOf(IllegalStateException.class);
        // With another master key, it does not open either.
        Passphrases other = new Passphrases(store, MasterKey.fromBase64(Base64.getEncoder().encodeToString(
                "another master key of 32 bytes!!".getBytes(StandardCharsets.US_ASCII))));
        assertThatThrownBy(() -> other.of(Party.controller("C1"))).isInstanceOf(IllegalStateException.class);
        // Rotated: the new one replaces the old.
        vault.set(Party.controller("C1"), "a brand new passphrase for 2027".toCharArray());
        assertThat(new String(vault.of(Party.controller("C1")).orElseThrow())).isEqualTo("a brand new passphrase for 2027");
    }
}
