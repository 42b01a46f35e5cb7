/**
 * The management HTTP listener: {@code GET /metrics} (Prometheus text format) and {@code GET /health}, and
 * nothing else. It binds to loopback by default ({@code management.host}), because it has no
 * authentication: in a container it is reached only by Prometheus on the internal network and is never
 * published on the host. It is read-only by design — no admin actions, no configuration, no data, only
 * counts and states that carry no personal data. It uses the JDK's own HTTP server (no web framework, and
 * not Camel's platform-http, see STACK.md) on a small bounded thread pool. May import Micrometer and the
 * routes module (metrics, the pipeline's meter names); never SFTP, commands or boot.
 */
package fi.callgate.gateway.management;
