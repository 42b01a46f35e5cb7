/**
 * Test-only parent of the end-to-end flows: each subpackage is named after the routes package whose
 * behaviour its tests drive through a real gateway with real clients ({@code flow.intake} for
 * {@code fi.callgate.intake}'s pipeline from upload to report, {@code flow.dialer}, {@code flow.results} …).
 * Tests of a gateway package's own behaviour live in that package instead.
 */
package fi.callgate.gateway.flow;
