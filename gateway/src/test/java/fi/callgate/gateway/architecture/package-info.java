/**
 * Test-only: the package rules on routes and gateway together, and the gateway's package-info check. No
 * main package of this name exists.
 */
package fi.callgate.gateway.architecture;
