/**
 * Where Callgate may write and how it puts a file where a party will fetch it: the {@link
 * fi.callgate.publish.StorageGuard} every write passes first (the EEA storage rule, refusals audited), sealed
 * files into an outbox in the party's agreed envelope ({@link fi.callgate.publish.OutboxFile}) and plain
 * reports in a campaign's reports area ({@link fi.callgate.publish.PlainReport}), each written under a hidden
 * name and renamed into place. Used by the pipeline stages, the dialer, results, recordings and retention
 * alike, so it lives below all of them. May import the store, audit, agreement (envelopes), intake (the
 * upload), domain and the bottom packages; never a stage, a route or the gateway.
 */
package fi.callgate.publish;
