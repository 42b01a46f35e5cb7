/**
 * The SSH command shell of CONTRACT §3: one class per command group, parsed with picocli, with role
 * checks, JSON output, exit codes and an audit entry per command. Imports accounts and the routes
 * module; never the SFTP package or boot.
 */
package fi.callgate.gateway.commands;
