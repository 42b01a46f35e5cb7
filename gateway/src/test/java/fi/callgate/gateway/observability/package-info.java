/**
 * Test-only: the monitoring surface as it is deployed — the docker/ files (Grafana dashboard, Prometheus
 * alert rules and scrape config, Dockerfile) checked with the stock tools and against a live scrape of a
 * running gateway, and the structured log lines. These test files of the repository, not a Java package, so
 * no main package of this name exists.
 */
package fi.callgate.gateway.observability;
