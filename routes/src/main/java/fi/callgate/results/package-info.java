/**
 * Results from the dialer (CONTRACT §4): parsing and validating results files, storing each result sealed
 * under the campaign key, call bans onto the block list, called-through detection, and the exports to the
 * controller ({@code orders-…} and {@code callbans-…}) with their outbox housekeeping.
 */
package fi.callgate.results;
