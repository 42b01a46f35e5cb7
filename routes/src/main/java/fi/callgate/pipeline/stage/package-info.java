/**
 * Pipeline stages that turn an uploaded plaintext stream into validated records, one row at a time,
 * with a report that names rows and columns but never their content.
 */
package fi.callgate.pipeline.stage;
