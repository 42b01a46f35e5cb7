/**
 * The hand-off between the drop point and the pipeline: a closed upload is moved into the encrypted spool,
 * recorded durably and announced; the upload row, its attempts and the log context of a stage run. Knows
 * nothing of SSH; the gateway calls it. May import the store, audit, domain and files.
 */
package fi.callgate.intake;
