/**
 * Test-only: the package rules of the main code (ArchUnit) and the package-info check, shared with the
 * gateway's tests through the routes test jar. No main package of this name exists.
 */
package fi.callgate.architecture;
