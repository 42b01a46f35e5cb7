package fi.callgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Record ids: opaque, same shape as before, resolving without a table, forgeries refused. */
class RecordIdsTest {
    private final RecordIds ids = new RecordIds(StoreFixture.MASTER);

    @Test
    void anIdResolvesToItsAddressAndLooksRandom() {
        Set<String> seen = new HashSet<>();
        String previous = null;
        for (long ord = 0; ord < 2000; ord++) {
            RecordAddress a = new RecordAddress(42, ord);
            String id = ids.id(a);
            assertThat(id).matches("[a-z2-7]{26}");
            assertThat(ids.address(id)).contains(a);
            assertThat(seen.add(id)).isTrue();
            if (previous != null) {
                // Neighbours share no visible structure: no common prefix of more than a few characters.
                assertThat(commonPrefix(previous, id)).isLessThan(6);
            }
            previous = id;
        }
    }

    @Test
    void madeUpAlteredOrOtherKeysIdsAreRefused() {
        String id = ids.id(new RecordAddress(7, 123));
        char c = id.charAt(10);
        String altered = id.substring(0, 10) + (c == 'a' ? 'b' : 'a') + id.substring(11);
        assertThat(ids.address(altered)).isEmpty();
        assertThat(ids.address("aaaaaaaaaaaaaaaaaaaaaaaaaa")).isEmpty();
        assertThat(ids.address("short")).isEmpty();
        assertThat(ids.address("AAAAAAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(ids.address(id.substring(0, 25) + "b")).as("padding bits must be zero").isEmpty();
        RecordIds other = new RecordIds(MasterKey.fromBase64("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="));
        assertThat(other.address(id)).as("another gateway's id").isEmpty();
    }

    private static int commonPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
