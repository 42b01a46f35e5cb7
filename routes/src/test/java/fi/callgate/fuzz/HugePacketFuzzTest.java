package fi.callgate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import fi.callgate.crypto.DecryptLimits;
import fi.callgate.crypto.GatewayKey;
import fi.callgate.crypto.HugePackets;
import fi.callgate.crypto.PgpDecryptException;
import fi.callgate.crypto.PgpDecryptor;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;

/**
 * Large declared lengths of every packet tag (old and new format, partial and open-ended lengths), placed
 * anywhere in a message and followed by fuzzed bytes: every input is refused (nothing here is a valid
 * message) and the decryption allocates a bounded amount of memory, whatever the packet claims to hold. The
 * bodies are really there (generated as they are read), so a decryptor that buffered one would allocate up to
 * 4 GiB. {@code PacketBoundsTest} walks the same space exhaustively; this target adds the fuzzer's variations.
 */
class HugePacketFuzzTest {
    private static final long ALLOCATION_BOUND = 16L << 20;
    private static final GatewayKey KEY;
    private static final PgpDecryptor DECRYPTOR = new PgpDecryptor();

    static {
        try {
            KEY = GatewayKey.generateInMemory("Fuzz Gateway <fuzz@callgate.invalid>");
            HugePackets.warmUp(KEY);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void hugeDeclaredLengthsAreRefusedInBoundedMemory(FuzzedDataProvider data) throws Exception {
        HugePackets.Layer layer = data.pickValue(HugePackets.Layer.values());
        int tag = data.consumeInt(0, 63);
        HugePackets.Encoding encoding = data.pickValue(HugePackets.Encoding.values());
        if (!encoding.fits(tag)) {
            encoding = HugePackets.Encoding.NEW_FIVE_OCTET;
        }
        long declared = data.consumeLong(1L << 20, 0xFFFF_FFFFL);
        byte[] tail = data.consumeRemainingAsBytes();
        InputStream message = new SequenceInputStream(HugePackets.message(KEY, layer, tag, encoding, declared),
                new java.io.ByteArrayInputStream(tail));
        long before = HugePackets.allocatedBytes();
        assertThatThrownBy(() -> DECRYPTOR.decrypt(message, KEY, Optional.empty(),
                DecryptLimits.defaults().withMaxPlaintextBytes(1 << 20),
                (in, name) -> in.transferTo(OutputStream.nullOutputStream())))
                .isInstanceOf(PgpDecryptException.class);
        long allocated = HugePackets.allocatedBytes() - before;
        assertThat(allocated).as(layer + " tag " + tag + " " + encoding + " declaring " + declared).isLessThan(ALLOCATION_BOUND);
        FuzzCounts.hit("HugePacket", layer.name().toLowerCase(java.util.Locale.ROOT));
    }

    @AfterAll
    static void counts() {
        FuzzCounts.print("HugePacket");
    }
}
