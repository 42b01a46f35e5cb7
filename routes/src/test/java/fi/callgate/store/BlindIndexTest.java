package fi.callgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.domain.PhoneNumber;
import org.junit.jupiter.api.Test;

class BlindIndexTest {
    private final BlindIndex index = new BlindIndex(StoreFixture.MASTER);

    @Test
    void normalisesEmailNameAndPostal() {
        assertThat(index.email("  Maija.Mehilainen@Example.FI ")).isEqualTo(index.email("maija.mehilainen@example.fi"));
        // NFD "a + combining diaeresis" vs NFC "ä", case and runs of spaces (also no-break space)
        assertThat(index.namePostal("Ma\u0308ija", "  MEHILÄINEN", " 00530 "))
                .isEqualTo(index.namePostal("Mäija", "mehiläinen", "00530"));
        assertThat(index.name("Maija\u00a0Liisa", "Mehiläinen")).isEqualTo(index.name("maija liisa", "MEHILÄINEN"));
    }

    @Test
    void kindsAndValuesAreSeparated() {
        assertThat(index.name("a", "b")).isNotEqualTo(index.namePostal("a", "b", ""));
        assertThat(index.name("a", "b")).isNotEqualTo(index.email("a b"));
        assertThat(index.phone(new PhoneNumber("+358401234567"))).hasSize(16)
                .isNotEqualTo(index.phone(new PhoneNumber("+358401234568")));
        assertThat(index.namePostal("a", "b", "00100")).isNotEqualTo(index.namePostal("a", "b", "00101"));
    }

    @Test
    void dependsOnTheMasterKey() {
        BlindIndex other = new BlindIndex(MasterKey.fromBase64("QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="));
        assertThat(other.email("x@y.fi")).isNotEqualTo(index.email("x@y.fi"));
    }
}
