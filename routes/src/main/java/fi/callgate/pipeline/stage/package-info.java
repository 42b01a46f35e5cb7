/**
 * The intake pipeline's stage beans, plain Java the routes call: decrypt, validate (parse, check, filter
 * duplicates and blocked numbers, store), dialer-load, report, give-up, with a report that names rows and
 * columns but never their content. May import every routes package below the routes (store, audit,
 * agreement, crypto, intake, publish, dialer, metrics, domain, csv, files); only the pipeline's routes and
 * the composition root import it. A helper another package needs does not belong here: it moves down.
 */
package fi.callgate.pipeline.stage;
