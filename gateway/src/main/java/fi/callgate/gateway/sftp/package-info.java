/**
 * The SFTP drop point: server factory (algorithms, host key, limits), per-account views, the file system
 * accessor that enforces CONTRACT §2, and the upload-completion listener. Imports accounts and the routes
 * module; never commands or boot.
 */
package fi.callgate.gateway.sftp;
