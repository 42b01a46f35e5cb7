package fi.callgate.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Cells written for spreadsheets: formula triggers defused, valid E.164 numbers left alone. The E.164 check
 * is hand-written for speed (it runs for every dialer list cell); it must say exactly what the regular
 * expression it replaced says.
 */
class CsvCellTest {
    private static final Pattern E164 = Pattern.compile("\\+[0-9]{6,15}");

    @Test
    void formulaTriggersGetAnApostropheAndPhoneNumbersDoNot() {
        assertThat(CsvCell.quote("+358401234567")).isEqualTo("+358401234567");
        assertThat(CsvCell.quote("+12345")).isEqualTo("'+12345");
        assertThat(CsvCell.quote("+1234567890123456")).isEqualTo("'+1234567890123456");
        assertThat(CsvCell.quote("+35840 1234567")).isEqualTo("'+35840 1234567");
        assertThat(CsvCell.quote("=1+2")).isEqualTo("'=1+2");
        assertThat(CsvCell.quote("-5")).isEqualTo("'-5");
        assertThat(CsvCell.quote("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvCell.quote("\uFF0B358401234567")).isEqualTo("'\uFF0B358401234567");
        assertThat(CsvCell.quote("Ojala; Jr")).isEqualTo("\"Ojala; Jr\"");
        assertThat(CsvCell.quote("")).isEmpty();
        assertThat(CsvCell.quote(null)).isEmpty();
    }

    @Test
    void theHandWrittenPhoneCheckAgreesWithTheRegularExpression() {
        Random random = new Random(13);
        String alphabet = "+0123456789 -٣a";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder(random.nextBoolean() ? "+" : "");
            int n = random.nextInt(19);
            for (int k = 0; k < n; k++) {
                sb.append(random.nextInt(10) < 8 ? (char) ('0' + random.nextInt(10))
                        : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String v = sb.toString();
            assertThat(CsvCell.isE164(v)).as(v).isEqualTo(E164.matcher(v).matches());
        }
    }
}
