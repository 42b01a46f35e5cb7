/**
 * The do-not-call list: blocked phone numbers kept only as blind indexes, in the store and mirrored in
 * memory for one lookup a row, with listeners told after each addition. May import the store and the
 * domain; used by the dialer, results, DSAR and the commands, never the other way.
 */
package fi.callgate.blocklist;
