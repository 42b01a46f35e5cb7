/**
 * The composition root: typed configuration, building every part in order, starting SSH only after the
 * store and the pipeline are up and stopping it first. The only package that imports every other.
 */
package fi.callgate.gateway.boot;
