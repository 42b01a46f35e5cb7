/**
 * CSV at the edges: the one input path for every CSV file someone gives Callgate (encoding and delimiter
 * detected, resource caps enforced while streaming) and the cell quoting for every CSV Callgate writes.
 * Near the bottom: it may import {@code fi.callgate.domain} (the refusal reasons) and commons-csv, nothing else
 * of Callgate.
 */
package fi.callgate.csv;
