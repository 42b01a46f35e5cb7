/**
 * Where Callgate may write and how it puts a file where a party will fetch it: the {@link
 * fi.callgate.publish.StorageGuard} every write passes first (the EEA storage rule, refusals audited).
 * Used by the pipeline stages, the dialer, results, recordings and retention alike, so it lives below all of
 * them. May import the store, audit, agreement, intake, domain and the bottom packages (files, csv), never a
 * stage, a route or the gateway.
 */
package fi.callgate.publish;
