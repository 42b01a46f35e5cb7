/**
 * Retention and shredding: datasets with deadlines ({@link fi.callgate.retention.RetentionPolicy},
 * {@link fi.callgate.retention.RetentionLedger}), the scheduled shredder with its durable runs and signed
 * deletion receipts ({@link fi.callgate.retention.Shredder}), and the hooks other parts call
 * ({@link fi.callgate.retention.RetentionEvents}, {@link fi.callgate.retention.DatasetFiles}).
 */
package fi.callgate.retention;
