/**
 * Data-subject requests: finding a person's records across every campaign through the blind indexes,
 * answering, erasing everywhere with receipts and notices, and the open/overdue gauges; the hooks
 * ({@link fi.callgate.dsar.DsarHooks}) let the parts it must reach (dialer lists, results, exports) take
 * part without this package importing them. May import the store, audit, agreement, intake, retention,
 * crypto, metrics and domain; never the pipeline, the dialer or results.
 */
package fi.callgate.dsar;
