package fi.callgate.gateway.boot;

import fi.callgate.dialer.DialerListStore;
import fi.callgate.dialer.DialerLists;
import fi.callgate.dsar.DsarHooks;
import fi.callgate.dsar.DsarStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Joins data-subject requests to the dialer lists (neither package knows the other): an erasure re-renders
 * the lists of the uploads it touched; {@code dsar find} reports the published lists holding each record.
 *
 * <p>Which list holds a record is read from the list itself, not inferred: the list of the record's upload
 * is decrypted (through the same channel the dialer reads) and its cells compared with the record ids, so
 * a number left out as block-listed, or a row withheld from a VICIdial list, is not reported as listed.
 * A DSAR is rare and a list is read once per request, so the cost is that of one download.
 */
final class DsarDialerLists implements DsarHooks.ListRepublisher {
    private static final String HEADER_START = "record_id;";
    private static final int PEEK_CHARS = 64;
    private final DialerLists lists;

    DsarDialerLists(DialerLists lists) {
        this.lists = lists;
    }

    @Override
    public int republish(Collection<String> uploadIds) {
        int n = 0;
        for (String uploadId : uploadIds) {
            try {
                lists.republish(uploadId, "erasure");
                n++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }

    @Override
    public List<Listed> holding(Collection<DsarStore.Found> records) {
        Map<String, Set<String>> byUpload = records.stream().collect(Collectors.groupingBy(DsarStore.Found::uploadId,
                LinkedHashMap::new, Collectors.mapping(DsarStore.Found::recordId, Collectors.toSet())));
        List<Listed> out = new ArrayList<>();
        byUpload.forEach((uploadId, ids) -> lists.store().byUpload(uploadId)
                .filter(row -> row.state() == DialerListStore.State.PUBLISHED)
                .ifPresent(row -> contained(row, ids).forEach(id -> out.add(new Listed(id, row.campaign(),
                        row.fileName(), row.publishedAt().orElseThrow(), row.downloadedAt(), row.downloadedBy())))));
        return out;
    }

    /** The ids (of those given) that appear as a cell of the published list, in list order. */
    private List<String> contained(DialerListStore.ListRow row, Set<String> ids) {
        List<String> found = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                Channels.newInputStream(lists.open(row.campaign(), row.fileName())), StandardCharsets.UTF_8));
             CSVParser cells = CSVParser.parse(in, formatOf(in))) {
            for (CSVRecord line : cells) {
                for (String v : line) {
                    if (ids.contains(v) && !found.contains(v)) {
                        found.add(v);
                    }
                }
                if (found.size() == ids.size()) {
                    break;
                }
            }
        } catch (NoSuchFileException e) {
            return List.of(); // shredded since (its campaign key is gone): not held any more
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UncheckedIOException e) {
            // commons-csv wraps a read failure met while iterating; a shredded list is not held any more
            if (e.getCause() instanceof NoSuchFileException) {
                return List.of();
            }
            throw e;
        }
        return found;
    }

    /**
     * The format the list was written in, read from the file rather than the campaign's current setting (which
     * may have changed since it was published): a Callgate list starts with its {@code record_id;} header and
     * quotes cells as {@code CsvCell} does; a VICIdial list has no header, tabs and no quoting at all (a cell
     * never holds a tab or line break, and a quote in it is data).
     */
    private static CSVFormat formatOf(BufferedReader in) throws IOException {
        in.mark(PEEK_CHARS);
        char[] head = new char[HEADER_START.length()];
        int n = 0;
        while (n < head.length) { // one read() may return only part of it
            int r = in.read(head, n, head.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        in.reset();
        boolean callgate = n == head.length && HEADER_START.equals(new String(head));
        return callgate
                ? CSVFormat.Builder.create().setDelimiter(';').setQuote('"').setIgnoreEmptyLines(true).get()
                : CSVFormat.Builder.create().setDelimiter('\t').setQuote(null).setIgnoreEmptyLines(true).get();
    }
}
