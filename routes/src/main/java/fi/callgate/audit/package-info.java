/**
 * The tamper-evident audit log: an append-only HMAC hash chain in the store. Imports the store only.
 */
package fi.callgate.audit;
