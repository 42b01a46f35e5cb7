/**
 * Test-only: Jazzer fuzz tests of the parsers that read what clients send (call lists, phone numbers,
 * personal identity codes, OpenPGP packets); in regression mode they run in the normal build. No main
 * package of this name exists.
 */
package fi.callgate.fuzz;
