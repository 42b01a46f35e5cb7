/**
 * Results from the dialer (CONTRACT §4): parsing and validating results files, storing each result sealed
 * under the campaign key, call bans onto the block list, called-through detection, and the exports to the
 * controller ({@code orders-…} and {@code callbans-…}) with their outbox housekeeping. May import the store,
 * audit, agreement, block list, dialer (pushes), intake, publish, retention's events, domain and the bottom
 * packages; never the pipeline's stages or routes.
 */
package fi.callgate.results;
