/**
 * Test-only: benchmarks run by hand (a {@code main}, not a JUnit test), with how to run them in each class's
 * comment; results go to {@code bench/RESULTS.md}. No main package of this name exists.
 */
package fi.callgate.bench;
