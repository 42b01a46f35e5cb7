package fi.callgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.domain.CallRecord;
import fi.callgate.domain.PersonalIdCode;
import fi.callgate.domain.PhoneNumber;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONTRACT §6: no personal data in plaintext anywhere under data-dir. */
class PlaintextScanTest {
    private static final List<String> NEEDLES = List.of("Zyxwvutsrq", "Qwertyöäå", "zyxw.qwerty@scan-test.fi",
            "+358409876543", "0409876543", "Uniikkikatu 77", "99999", "Skannausmaa", "Lähde-X7", validPid(),
            "Ünïcødé", "second.needle@scan-test.fi", "+358501231231");

    @TempDir
    Path dir;

    @Test
    void nothingPersonalIsStoredInPlaintextAnywhereUnderDataDir() throws Exception {
        PersonalIdCode pid = PersonalIdCode.parse(validPid());
        List<CallRecord> records = List.of(
                new CallRecord(2, "Zyxwvutsrq", "Qwertyöäå", new PhoneNumber("+358409876543"),
                        Optional.of("zyxw.qwerty@scan-test.fi"), Optional.of("Uniikkikatu 77"), Optional.of("99999"),
                        Optional.of("Skannausmaa"), "Lähde-X7", Optional.of(pid)),
                new CallRecord(3, "Ünïcødé", "Zyxwvutsrq", new PhoneNumber("+358501231231"),
                        Optional.of("second.needle@scan-test.fi"), Optional.empty(), Optional.empty(),
                        Optional.empty(), "Lähde-X7", Optional.empty()));
        try (StoreFixture f = new StoreFixture(dir)) {
            f.campaign("scan", "Org");
            f.upload("u1", "scan");
            f.store("u1", "scan", records);
            f.upload("u2", "scan");
            try (RecordStore.Staging s = f.records.stage("u2", "scan")) {
                s.add(records.get(0)); // staged and then discarded: its traces must not leak either
                s.finish();
            }
            f.records.discardStaged("u2");
            assertThat(f.records.findByEmail("zyxw.qwerty@scan-test.fi")).hasSize(1);

            // Our own layer, independent of HSQLDB's file encryption: no column holds a needle.
            f.db.withConnection(c -> {
                for (String table : List.of("call_record", "record_set", "record_tombstone", "legacy_record_id", "campaign_key")) {
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                        ResultSetMetaData md = rs.getMetaData();
                        while (rs.next()) {
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                int type = md.getColumnType(i);
                                Object o = rs.getObject(i);
                                byte[] v = o == null ? null
                                        : type == java.sql.Types.BINARY || type == java.sql.Types.VARBINARY
                                        ? rs.getBytes(i) : String.valueOf(o).getBytes(StandardCharsets.UTF_8);
                                assertNoNeedle(table + "." + md.getColumnName(i), v);
                            }
                        }
                    }
                }
                return null;
            });
        } // SHUTDOWN: everything is on disk now

        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        assertThat(files).as("the scan looks at the real database files")
                .anyMatch(p -> p.getFileName().toString().equals("callgate.script"))
                .anyMatch(p -> p.getFileName().toString().equals("scan.key"));
        for (Path p : files) {
            assertNoNeedle(p.toString(), Files.readAllBytes(p));
        }
    }

    private static void assertNoNeedle(String where, byte[] content) {
        if (content == null) {
            return;
        }
        for (String needle : NEEDLES) {
            for (Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE)) {
                assertThat(indexOf(content, needle.getBytes(cs)))
                        .as("%s contains '%s' (%s)", where, needle, cs).isEqualTo(-1);
            }
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** 01.02.2003, individual number 123, century sign A: check character computed, not hard-coded. */
    private static String validPid() {
        int n = 10203123 % 31; // DDMMYYNNN = 010203123
        return "010203A123" + "0123456789ABCDEFHJKLMNPRSTUVWXY".charAt(n);
    }
}
