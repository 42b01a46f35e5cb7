package fi.callgate.store;

/**
 * Where a record lives: the number of its record set (one per stored upload, never reused) and its place
 * in that set, counted from 0 in row order. The public record id is this address encrypted
 * ({@link RecordIds}), so an id needs no lookup table and the address never leaves Callgate.
 */
public record RecordAddress(long dataset, long ordinal) {
    /** Both halves stay below 2^40: the 48 high bits that must be zero make a forged id detectable. */
    static final long LIMIT = 1L << 40;

    public RecordAddress {
        if (dataset < 1 || dataset >= LIMIT || ordinal < 0 || ordinal >= LIMIT) {
            throw new IllegalArgumentException("record address out of range");
        }
    }
}
