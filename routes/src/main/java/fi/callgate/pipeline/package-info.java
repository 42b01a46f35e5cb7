/**
 * The Camel routes: one thin RouteBuilder per stage (route id = stage name), the error policy in one
 * route configuration, and the pipeline's lifecycle. Routes only wire; the work is in
 * {@code pipeline.stage} beans. Never imports the gateway or MINA.
 */
package fi.callgate.pipeline;
