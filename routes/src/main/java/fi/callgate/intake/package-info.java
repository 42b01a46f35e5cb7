/**
 * The hand-off between the drop point and the pipeline: a closed upload is moved into the spool,
 * recorded durably and announced. Knows nothing of SSH; the gateway calls it.
 */
package fi.callgate.intake;
