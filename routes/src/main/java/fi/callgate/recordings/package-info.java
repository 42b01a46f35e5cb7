/**
 * Call recordings delivered to a controller under a recordings agreement (issue #16): recognised by their
 * content, encrypted with the controller's agreed method into its outbox, removed by the outbox housekeeping
 * after download, covered by data-subject requests. May import the store, audit, agreement, intake,
 * publish, domain and the bottom packages.
 */
package fi.callgate.recordings;
