package fi.callgate.results;

import fi.callgate.csv.CsvCell;
import java.util.List;

/**
 * The export files' layout ({@code ;}, CRLF, UTF-8, header row). Every cell goes through
 * {@link CsvCell#quote}: a cell that a spreadsheet would run as a formula ({@code = + - @}, tab, CR, or their
 * full-width forms) gets a leading apostrophe (OWASP), valid E.164 numbers stay as they are.
 */
final class ExportCsv {
    static final List<String> ORDERS = List.of("record_id", "type", "first_name", "last_name", "phone", "email",
            "street", "postal_code", "city", "source", "product", "start_date", "invoice_due_date", "offer_sent",
            "offer_sent_on", "new_street", "new_postal_code", "new_city", "new_email", "new_phone", "reported_at",
            "dsar_notice", "supplier", "agreement");
    static final List<String> CALLBANS = List.of("record_id", "phone", "source", "banned_at");

    private ExportCsv() {
    }

    static String line(List<String> cells) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                s.append(';');
            }
            s.append(CsvCell.quote(cells.get(i)));
        }
        return s.append("\r\n").toString();
    }
}
