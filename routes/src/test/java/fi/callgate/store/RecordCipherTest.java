package fi.callgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.callgate.domain.CallRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RecordCipherTest {
    /** Sealed by the code before the per-thread cipher and buffered nonces: records stored then must still open. */
    private static final String SEALED_FULL = "01f7f20083d6ecafede60f809096a6ca55326bf3caf45cedacfa8a38c9367810e06cc8b446ad770"
            + "7cab1652279c2b2ee16f0e6fff4aafa7101db17c650242080c3dd66370176a14c091c87a0cedb945a125b132c22d57cd9e390f206"
            + "eda54c9a776a225c987894453142af5ee97a0c9a513f11ab47b772aedaf446fbcaf7c61b796c41406428c0aab8281537c195324650"
            + "0c064656b121d5d1c57a68c423ef9c957eb3f96860178f2687c50101cd13cfd8b8fe43e362c2";
    private static final String SEALED_MINIMAL = "01f338d0304b9926b82478a311d868cedca24543e110ad4e4465a3a448000b5f5444055b88"
            + "04057ff7c4aa0684a2845b7acc083764204644a2282595ce66ccbfa85c01ced35a28686071cbcfe1323f153c7393d9206b";

    private final DataKey key = DataKey.random();

    @Test
    void roundTripWithEveryFieldAndFinnishCharacters() {
        CallRecord r = StoreFixture.full(7, "Äijä-Öllö", "Åkerström", "+358401234567", "äiti@esimerkki.fi", "00530");
        byte[] sealed = RecordCipher.seal(key, "kampanja", "rid1", r);
        assertThat(RecordCipher.open(key, "kampanja", "rid1", 7, sealed)).usingRecursiveComparison().isEqualTo(r);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("ijä").doesNotContain("358401");
    }

    @Test
    void recordsSealedByTheEarlierCodeStillOpen() {
        byte[] raw = new byte[32];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (100 + i);
        }
        DataKey fixed = new DataKey(raw);
        CallRecord full = StoreFixture.full(7, "Äijä-Öllö", "Åkerström", "+358401234567", "äiti@esimerkki.fi", "00530");
        CallRecord minimal = StoreFixture.minimal(2, "Matti", "Meikäläinen", "+358501112233");
        assertThat(RecordCipher.open(fixed, "kampanja", "rid1", 7, HexFormat.of().parseHex(SEALED_FULL)))
                .usingRecursiveComparison().isEqualTo(full);
        assertThat(RecordCipher.open(fixed, "c", "r", 2, HexFormat.of().parseHex(SEALED_MINIMAL)))
                .usingRecursiveComparison().isEqualTo(minimal);
        // and what is sealed now has the same layout: version, 12-byte nonce, ciphertext as long as before, tag
        assertThat(RecordCipher.seal(fixed, "kampanja", "rid1", full)).hasSize(SEALED_FULL.length() / 2)
                .startsWith((byte) 1);
    }

    /** Nonces never repeat under a key, also when several threads seal with the same key at once. */
    @Test
    void noNonceRepeatsAcrossThreads() throws Exception {
        CallRecord r = StoreFixture.minimal(2, "A", "B", "+358501112233");
        Set<String> nonces = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25_000; i++) {
                        byte[] sealed = RecordCipher.seal(key, "c", "r" + i, r);
                        nonces.add(HexFormat.of().formatHex(sealed, 1, 13));
                        if (i % 1000 == 0) {
                            assertThat(RecordCipher.open(key, "c", "r" + i, 2, sealed).lastName()).isEqualTo("B");
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(nonces).hasSize(100_000);
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
