package fi.callgate.retention;

/**
 * Events that move deadlines, for the parts of Callgate that learn of them. The results work calls
 * {@link #calledThrough} once per list the dialer reports as called through.
 */
public interface RetentionEvents {
    /** The list of this upload has been called through: it becomes due now. False if no such held list. */
    boolean calledThrough(String uploadId);
}
