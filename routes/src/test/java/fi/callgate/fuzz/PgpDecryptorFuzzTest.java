package fi.callgate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fi.callgate.crypto.DecryptLimits;
import fi.callgate.crypto.GatewayKey;
import fi.callgate.crypto.PgpDecryptException;
import fi.callgate.crypto.PgpDecryptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * The OpenPGP pre-check on arbitrary bytes (literal data with no encryption, symmetric-only messages,
 * messages to other keys, truncated and corrupt packets): nothing is encrypted to this run's gateway key,
 * so no plaintext may ever reach the sink, and the only failures are PgpDecryptException and IOException.
 */
class PgpDecryptorFuzzTest {
    private static final GatewayKey KEY;
    private static final PgpDecryptor DECRYPTOR = new PgpDecryptor();

    static {
        try {
            KEY = GatewayKey.generateInMemory("Fuzz Gateway <fuzz@callgate.invalid>");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void nothingReachesTheSink(byte[] data) {
        AtomicLong released = new AtomicLong();
        String outcome;
        try {
            DECRYPTOR.decrypt(new ByteArrayInputStream(data), KEY, Optional.empty(),
                    DecryptLimits.defaults().withMaxPlaintextBytes(1 << 20), (in, name) -> {
                        released.addAndGet(in.transferTo(java.io.OutputStream.nullOutputStream()) + 1);
                    });
            outcome = "decrypted";
        } catch (PgpDecryptException e) {
            outcome = "refused";
        } catch (IOException e) {
            outcome = "io";
        }
        assertThat(released.get()).as("plaintext released to the sink for input not encrypted to the key")
                .isZero();
        assertThat(outcome).isNotEqualTo("decrypted");
        FuzzCounts.hit("PgpDecryptor", outcome);
    }

    @AfterAll
    static void counts() {
        FuzzCounts.print("PgpDecryptor");
    }
}
