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
                Channels.newInputStream(lists.open(row.campaign(), row.fileName())), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && found.size() < ids.size()) {
                for (String cell : line.split("[;\t]", -1)) {
                    String v = cell.startsWith("\"") && cell.endsWith("\"") && cell.length() > 1
                            ? cell.substring(1, cell.length() - 1) : cell;
                    if (ids.contains(v) && !found.contains(v)) {
                        found.add(v);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return List.of(); // shredded since (its campaign key is gone): not held any more
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
