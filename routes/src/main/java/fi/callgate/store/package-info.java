/**
 * The embedded HSQLDB store: connection, numbered migrations, the master key, the campaign keys and one store
 * class per aggregate. May import the domain and files only; never audit, a stage, Camel routes, SSH or the
 * gateway.
 */
package fi.callgate.store;
