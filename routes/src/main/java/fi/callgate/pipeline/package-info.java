/**
 * The Camel routes: one thin RouteBuilder per stage (route id = stage name), the error policy in one
 * route configuration, and the pipeline's lifecycle. Routes only wire; the work is in {@code pipeline.stage},
 * results, recordings and the dialer. The top of the routes module: it may import any routes package,
 * none imports it but the gateway. Never imports the gateway or MINA.
 */
package fi.callgate.pipeline;
