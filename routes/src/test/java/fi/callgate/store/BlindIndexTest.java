package fi.callgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.domain.PhoneNumber;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    /** Computed by the code before the per-thread Mac (new Mac + init per value): stored hashes must still match. */
    @Test
    void sameBytesAsBeforeTheMacWasReused() {
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(index.phone(new PhoneNumber("+358401234567")))).isEqualTo("897e574ef49ce204a329540b1104ed11");
        assertThat(hex.formatHex(index.email(" Maija.Mehilainen@Example.FI"))).isEqualTo("59458696d6eabe36a5d8fe7dd759b900");
        assertThat(hex.formatHex(index.namePostal("Ma\u0308ija", "  MEHILÄINEN", " 00530 ")))
                .isEqualTo("42a3fee74d7b7fd86df0afaa2c808f83");
        assertThat(hex.formatHex(index.name("Maija\u00a0Liisa", "Mehiläinen"))).isEqualTo("13685844c66163eab3d8385fee464882");
        BlindIndex.Entries e = index.of(StoreFixture.full(2, "Maija Liisa", "Mehiläinen", "+358401234567",
                " Maija.Mehilainen@Example.FI", "00530"));
        assertThat(e.phone()).isEqualTo(index.phone(new PhoneNumber("+358401234567")));
        assertThat(e.email()).hasValueSatisfying(v -> assertThat(v).isEqualTo(index.email("maija.mehilainen@example.fi")));
        assertThat(e.namePostal()).hasValueSatisfying(v -> assertThat(v)
                .isEqualTo(index.namePostal("maija liisa", "MEHILÄINEN", "00530")));
        assertThat(hex.formatHex(e.name())).isEqualTo("13685844c66163eab3d8385fee464882");
    }

    /** Threads sharing one BlindIndex (the two ingest threads, DSAR searches) each get the same answers. */
    @Test
    void concurrentThreadsAgree() throws Exception {
        byte[] expected = index.phone(new PhoneNumber("+358401234567"));
        byte[] other = new BlindIndex(MasterKey.fromBase64("QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="))
                .phone(new PhoneNumber("+358401234567"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        index.email("x" + i + "@y.fi");
                        if (!Arrays.equals(index.phone(new PhoneNumber("+358401234567")), expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(other).isNotEqualTo(expected);
    }

    @Test
    void dependsOnTheMasterKey() {
        BlindIndex other = new BlindIndex(MasterKey.fromBase64("QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="));
        assertThat(other.email("x@y.fi")).isNotEqualTo(index.email("x@y.fi"));
    }
}
