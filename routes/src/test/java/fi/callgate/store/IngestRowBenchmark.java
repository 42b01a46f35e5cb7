package fi.callgate.store;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PhoneNumberNormaliser;
import fi.callgate.pipeline.stage.CallListParser;
import fi.callgate.pipeline.stage.CallListPolicy;
import fi.callgate.pipeline.stage.ValidationReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (skipped unless {@code -Dcallgate.bench=true}; run with
 * {@code mvn -B -pl routes test -Dtest=IngestRowBenchmark -Dcallgate.bench=true -Dsurefire.failIfNoSpecifiedTests=false}):
 * the per-row CPU of ingest outside storage, on one thread — the phone normaliser alone, the CSV parse with
 * row validation (which includes it), {@link BlindIndex#of}, {@link RecordCipher#seal}, and all of them in
 * one pass as the validate stage does them. {@code callgate.bench.rows} rows (default 200 000) of a
 * generated list (every column, the usual phone notations mixed, a few invalid numbers and duplicates),
 * best of {@code callgate.bench.rounds} rounds (default 5), in µs per row. Only public APIs that also
 * existed before the per-thread reuse, so the same file runs against an older tree for the "before"
 * figures. No assertion on time.
 */
class IngestRowBenchmark {
    static final int ROWS = Integer.getInteger("callgate.bench.rows", 200_000);
    static final int ROUNDS = Integer.getInteger("callgate.bench.rounds", 5);

    @Test
    void perRowMicroseconds() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("callgate.bench"), "benchmark; -Dcallgate.bench=true");
        byte[] csv = list(ROWS);
        List<String> phones = phoneCells(ROWS);
        CallListParser parser = new CallListParser(CallListPolicy.defaults(false));
        PhoneNumberNormaliser normaliser = new PhoneNumberNormaliser();
        BlindIndex index = new BlindIndex(MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32])));
        DataKey key = DataKey.random();
        List<CallRecord> records = new ArrayList<>(ROWS);
        parser.parse(new ByteArrayInputStream(csv), records::add);

        double phone = Double.MAX_VALUE;
        double parse = Double.MAX_VALUE;
        double blind = Double.MAX_VALUE;
        double seal = Double.MAX_VALUE;
        double all = Double.MAX_VALUE;
        long sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (String p : phones) {
                sink += normaliser.normalise(p).isValid() ? 1 : 0;
            }
            phone = Math.min(phone, perRow(t0, phones.size()));

            t0 = System.nanoTime();
            ValidationReport v = parser.parse(new ByteArrayInputStream(csv), r -> { });
            parse = Math.min(parse, perRow(t0, ROWS));
            sink += v.acceptedRows();

            t0 = System.nanoTime();
            for (CallRecord r : records) {
                sink += index.of(r).phone()[0];
            }
            blind = Math.min(blind, perRow(t0, records.size()));

            t0 = System.nanoTime();
            for (CallRecord r : records) {
                sink += RecordCipher.seal(key, "kampanja", "r" + r.rowNumber(), r).length;
            }
            seal = Math.min(seal, perRow(t0, records.size()));

            long[] bytes = new long[1];
            t0 = System.nanoTime();
            parser.parse(new ByteArrayInputStream(csv), r -> {
                bytes[0] += index.of(r).name()[0];
                bytes[0] += RecordCipher.seal(key, "kampanja", "r" + r.rowNumber(), r).length;
            });
            all = Math.min(all, perRow(t0, ROWS));
            sink += bytes[0];
            System.out.printf("IngestRowBenchmark round %d: phone %.2f, parse+validate %.2f, blind index %.2f, "
                    + "seal %.2f, all %.2f µs/row%n", round, phone, parse, blind, seal, all);
        }
        System.out.printf("IngestRowBenchmark: %d rows (%d accepted), best of %d, µs per row on one thread: phone "
                + "normalise %.2f | parse+validate %.2f | BlindIndex.of %.2f | RecordCipher.seal %.2f | "
                + "parse+validate+index+seal %.2f (%,.0f rows/s) [%d]%n", ROWS, records.size(), ROUNDS, phone, parse,
                blind, seal, all, 1e6 / all, sink & 1);
    }

    private static double perRow(long t0, int rows) {
        return (System.nanoTime() - t0) / 1000.0 / rows;
    }

    /** The phone cells of the list, in the notations controllers send. */
    private static List<String> phoneCells(int rows) {
        List<String> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            out.add(phone(new Random(i), i));
        }
        return out;
    }

    private static String phone(Random rnd, int i) {
        int n = 1_000_000 + i;
        return switch (rnd.nextInt(10)) {
            case 0, 1, 2 -> "040 " + n / 10_000 + " " + n % 10_000;
            case 3, 4 -> "+35850" + n;
            case 5 -> "045" + n;
            case 6 -> "09 " + n;
            case 7 -> "+358 18 " + (10_000 + i % 90_000);
            case 8 -> "+358 (0)44 " + n;
            default -> i % 50 == 0 ? "0123" : "0401-" + n;
        };
    }

    private static byte[] list(int rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows * 120);
        StringBuilder sb = new StringBuilder("etunimi;sukunimi;puhelin;sähköposti;katuosoite;postinumero;"
                + "postitoimipaikka;lähde\n");
        for (int i = 0; i < rows; i++) {
            int person = i % 997 == 996 ? i - 500 : i; // one duplicate in a thousand
            sb.append("Maija").append(person).append(";Mehiläinen;").append(phone(new Random(person), person)).append(";maija")
                    .append(person).append("@esimerkki.fi;Hämeentie ").append(person % 200).append(" A;00")
                    .append(100 + person % 900).append(";Helsinki;Asiakasrekisteri 2026\n");
            if (sb.length() > 1 << 16) {
                out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
                sb.setLength(0);
            }
        }
        out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
