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

    /** The shortcut for already-settled text gives what NFC + strip + the space rule gave, on any text. */
    @Test
    void settledTextShortcutChangesNothing() {
        String alphabet = "aAäÄöÖåÅzZ0-.@' \t\u00a0\u0085\u001c\u007f\u00a1\u0130\u00df\u02ff\u0300\u0308\u2007\u3000\u1680é";
        java.util.Random rnd = new java.util.Random(5);
        java.util.regex.Pattern spaces = java.util.regex.Pattern.compile("\\s+", java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(12);
            for (int k = 0; k < len; k++) {
                sb.append(alphabet.charAt(rnd.nextInt(i % 2 == 0 ? 14 : alphabet.length())));
            }
            String v = sb.toString();
            String nfc = java.text.Normalizer.normalize(v, java.text.Normalizer.Form.NFC);
            String text = spaces.matcher(nfc.strip()).replaceAll(" ").toLowerCase(java.util.Locale.ROOT);
            String email = java.text.Normalizer.normalize(v.strip(), java.text.Normalizer.Form.NFC)
                    .toLowerCase(java.util.Locale.ROOT);
            assertThat(BlindIndex.normaliseText(v)).as("'%s'", v).isEqualTo(text);
            assertThat(BlindIndex.normaliseEmail(v)).as("'%s'", v).isEqualTo(email);
        }
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
