/**
 * What goes to the dialer: one sealed dialer list per accepted upload (published atomically, never with a
 * blocked number, re-rendered when the block list grows), the push of lists and exports to SFTP targets as
 * routes with Camel's redelivery, and the list files the shredder destroys. May import the store, audit,
 * block list, retention's extension points, publish, metrics, domain and the bottom packages; never the
 * pipeline's stages or routes (the dialer-load stage calls this package, not the other way).
 */
package fi.callgate.dialer;
