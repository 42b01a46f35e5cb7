/**
 * Every metric name and help text in one place; the registry is passed in. Imports Micrometer only.
 */
package fi.callgate.metrics;
