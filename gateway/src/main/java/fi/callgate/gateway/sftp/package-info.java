/**
 * The SFTP drop point: server factory (algorithms, host key, limits), per-account views, the file system
 * accessor that enforces CONTRACT §2, the subsystem that settles what a session may see of write areas,
 * and the upload-completion listener with its write checks (holes, quota). Imports accounts and the routes
 * module; never commands or boot.
 */
package fi.callgate.gateway.sftp;
