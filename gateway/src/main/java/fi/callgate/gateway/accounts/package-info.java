/**
 * Personal accounts, their roles and credentials, the authenticators and the login defender. Imports the
 * routes module's store and audit log and MINA's auth interfaces; never the SFTP or command packages.
 */
package fi.callgate.gateway.accounts;
