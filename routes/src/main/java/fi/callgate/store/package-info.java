/**
 * The embedded HSQLDB store: connection, numbered migrations, the master key and one store class per
 * aggregate. May import the domain; never Camel routes, SSH or the gateway.
 */
package fi.callgate.store;
