/**
 * The cryptography at the edges: streaming OpenPGP decryption of uploads with every check a gateway needs,
 * 7-Zip compatible AES archives, encryption to a party's key, clear-signed receipts, the gateway's and the
 * controllers' keys. Imports BouncyCastle, Commons Compress and zip4j only, nothing of Callgate: every
 * package that seals or opens a file for a party may use it.
 */
package fi.callgate.crypto;
