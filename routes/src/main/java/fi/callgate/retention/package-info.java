/**
 * Retention and shredding: datasets with deadlines ({@link fi.callgate.retention.RetentionPolicy},
 * {@link fi.callgate.retention.RetentionLedger}), the scheduled shredder with its durable runs and signed
 * deletion receipts ({@link fi.callgate.retention.Shredder}), and the hooks other parts call
 * ({@link fi.callgate.retention.RetentionEvents}, {@link fi.callgate.retention.DatasetFiles}). May import
 * the store, audit, intake, publish, crypto, metrics, domain and the bottom packages; the parts whose files
 * it destroys (the dialer lists) plug in through {@code DatasetFiles} instead of being imported.
 */
package fi.callgate.retention;
