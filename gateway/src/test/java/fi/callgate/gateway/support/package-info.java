/**
 * Test-only: the fixtures every gateway test shares — a real gateway on an ephemeral port, the people who
 * drive it with the real OpenSSH and GnuPG binaries, a second SFTP server as a push target, scrapes and
 * plaintext scans. No main package of this name exists.
 */
package fi.callgate.gateway.support;
