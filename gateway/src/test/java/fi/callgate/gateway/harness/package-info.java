/**
 * Test-only: the crash and fault harnesses — Callgate as a child JVM killed with SIGKILL at random moments
 * and started again on the same data, the invariants checked after, and faults injected into a running
 * pipeline. No main package of this name exists.
 */
package fi.callgate.gateway.harness;
