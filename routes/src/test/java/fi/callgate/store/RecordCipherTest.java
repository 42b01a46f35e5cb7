package fi.callgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.callgate.domain.CallRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordCipherTest {
    private final DataKey key = DataKey.random();

    @Test
    void roundTripWithEveryFieldAndFinnishCharacters() {
        CallRecord r = StoreFixture.full(7, "Äijä-Öllö", "Åkerström", "+358401234567", "äiti@esimerkki.fi", "00530");
        byte[] sealed = RecordCipher.seal(key, "kampanja", "rid1", r);
        assertThat(RecordCipher.open(key, "kampanja", "rid1", 7, sealed)).usingRecursiveComparison().isEqualTo(r);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("ijä").doesNotContain("358401");
    }

    @Test
    void roundTripWithoutOptionalFields() {
        CallRecord r = StoreFixture.minimal(2, "Matti", "Meikäläinen", "+358501112233");
        byte[] sealed = RecordCipher.seal(key, "c", "r", r);
        assertThat(RecordCipher.open(key, "c", "r", 2, sealed)).usingRecursiveComparison().isEqualTo(r);
    }

    @Test
    void aPayloadOnlyOpensForItsOwnCampaignAndRecordId() {
        byte[] sealed = RecordCipher.seal(key, "c1", "r1", StoreFixture.minimal(2, "A", "B", "+358501112233"));
        assertThatThrownBy(() -> RecordCipher.open(key, "c1", "r2", 2, sealed))
                .isInstanceOf(DataKey.UndecryptableException.class);
        assertThatThrownBy(() -> RecordCipher.open(key, "c2", "r1", 2, sealed))
                .isInstanceOf(DataKey.UndecryptableException.class);
        assertThatThrownBy(() -> RecordCipher.open(DataKey.random(), "c1", "r1", 2, sealed))
                .isInstanceOf(DataKey.UndecryptableException.class);
        // the AAD is length-prefixed: shifting characters between campaign and record id does not help
        assertThatThrownBy(() -> RecordCipher.open(key, "c1r", "1", 2, sealed))
                .isInstanceOf(DataKey.UndecryptableException.class);
    }

    @Test
    void aFlippedByteIsDetected() {
        byte[] sealed = RecordCipher.seal(key, "c", "r", StoreFixture.minimal(2, "A", "B", "+358501112233"));
        for (int i = 0; i < sealed.length; i++) {
            byte[] copy = sealed.clone();
            copy[i] ^= 1;
            assertThatThrownBy(() -> RecordCipher.open(key, "c", "r", 2, copy))
                    .isInstanceOf(DataKey.UndecryptableException.class);
        }
    }

    @Test
    void sameRecordEncryptsDifferentlyEachTime() {
        CallRecord r = StoreFixture.minimal(2, "A", "B", "+358501112233");
        assertThat(RecordCipher.seal(key, "c", "r", r)).isNotEqualTo(RecordCipher.seal(key, "c", "r", r));
    }

    @Test
    void damagedPlaintextIsRefusedNotMisread() {
        byte[] plain = RecordCipher.serialise(StoreFixture.minimal(2, "A", "B", "+358501112233"));
        byte[] truncated = java.util.Arrays.copyOf(plain, plain.length - 1);
        assertThatThrownBy(() -> RecordCipher.deserialise(2, truncated)).isInstanceOf(StoreException.class);
        byte[] badVersion = plain.clone();
        badVersion[0] = 9;
        assertThatThrownBy(() -> RecordCipher.deserialise(2, badVersion)).isInstanceOf(StoreException.class);
    }

    @Test
    void recordIdsAreOpaqueBase32() {
        RecordIds ids = new RecordIds(StoreFixture.MASTER);
        String id = ids.id(new RecordAddress(1, 0));
        assertThat(id).hasSize(26).matches("[a-z2-7]{26}");
        assertThat(ids.id(new RecordAddress(1, 1))).isNotEqualTo(id);
    }
}
