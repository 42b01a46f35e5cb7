package fi.callgate.gateway.sftp;

import java.util.Map;
import java.util.TreeMap;

/**
 * What an upload's writes have covered, to keep holes out. SFTP writes carry offsets, so a client can
 * write 20 bytes at 0 and 8 at 2 GiB: a file of 2 GiB logical size from 28 bytes sent, which every later
 * step (the hash, the decrypt, the shredder's overwrite) then pays for in full. Pipelining clients do send
 * writes a little out of order (rclone's and other Go clients' concurrent requests, a retried request),
 * so a hole is allowed while it stays small: a write is refused if afterwards more than
 * {@code allowance} bytes below the end would still be unwritten. The written ranges above the
 * contiguous start are few and close to the end; their number is capped as well.
 */
final class WrittenExtent {
    static final int MAX_ISLANDS = 256;
    private final long allowance;
    /** [0, contiguous) is written. */
    private long contiguous;
    /** Written ranges beyond {@link #contiguous}, start -> end, disjoint and not touching. */
    private final TreeMap<Long, Long> islands = new TreeMap<>();
    private long islandBytes;

    WrittenExtent(long allowance) {
        this.allowance = allowance;
    }

    long end() {
        return islands.isEmpty() ? contiguous : islands.lastEntry().getValue();
    }

    /** Bytes below the end that no write has covered. */
    long unwritten() {
        return end() - contiguous - islandBytes;
    }

    /** How many unwritten bytes below the end there would be after this write. */
    long unwrittenAfter(long offset, long length) {
        if (length <= 0) {
            return unwritten();
        }
        long to = offset + length;
        long newEnd = Math.max(end(), to);
        long covered = Math.max(0, Math.min(to, contiguous) - offset);
        for (Map.Entry<Long, Long> i : islands.subMap(islands.floorKey(offset) == null ? offset : islands.floorKey(offset),
                true, to, false).entrySet()) {
            covered += Math.max(0, Math.min(to, i.getValue()) - Math.max(offset, i.getKey()));
        }
        long written = contiguous + islandBytes + (length - covered);
        return newEnd - written;
    }

    /** Would this write be refused? Empty if it may go ahead, else why not. */
    String refusal(long offset, long length) {
        long left = unwrittenAfter(offset, length);
        if (left > allowance) {
            return "writes must follow on from what was already written: this one at offset " + offset
                    + " would leave " + left + " bytes unwritten (at most " + allowance + " may be, briefly)";
        }
        if (islands.size() >= MAX_ISLANDS && offset > end()) {
            return "too many separate pieces written out of order (at most " + MAX_ISLANDS + ")";
        }
        return null;
    }

    void record(long offset, long length) {
        if (length <= 0) {
            return;
        }
        long from = offset;
        long to = offset + length;
        if (from <= contiguous) {
            contiguous = Math.max(contiguous, to);
        } else {
            Map.Entry<Long, Long> before = islands.floorEntry(from);
            if (before != null && before.getValue() >= from) {
                from = before.getKey();
                to = Math.max(to, before.getValue());
            }
            for (Map.Entry<Long, Long> i = islands.ceilingEntry(from); i != null && i.getKey() <= to;
                 i = islands.ceilingEntry(from)) {
                to = Math.max(to, i.getValue());
                islandBytes -= i.getValue() - i.getKey();
                islands.remove(i.getKey());
            }
            islands.put(from, to);
            islandBytes += to - from;
        }
        // islands the contiguous part has reached join it
        for (Map.Entry<Long, Long> first = islands.firstEntry(); first != null && first.getKey() <= contiguous;
             first = islands.firstEntry()) {
            contiguous = Math.max(contiguous, first.getValue());
            islandBytes -= first.getValue() - first.getKey();
            islands.remove(first.getKey());
        }
    }
}
