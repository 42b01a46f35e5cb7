/**
 * The tamper-evident audit log: an append-only HMAC hash chain in the store. May import the store only.
 */
package fi.callgate.audit;
