/**
 * The agreements a campaign runs under (issue #16): which list suppliers may deliver to it and under which
 * written agreement, and the encryption method agreed with each party (OpenPGP or 7-Zip compatible AES
 * archives) with its sealed passphrase. May import the store, crypto and domain; imported by the stages,
 * results, recordings and DSAR, never the other way.
 */
package fi.callgate.agreement;
