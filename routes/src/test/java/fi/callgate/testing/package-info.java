/**
 * Test-only: small helpers any test may use (a clock tests can move, the CSV encodings a client saves),
 * shared with the gateway's tests through the routes test jar. No main package of this name exists.
 */
package fi.callgate.testing;
