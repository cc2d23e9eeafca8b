/**
 * The Java client for the annals HTTP API: {@link io.annals.client.AnnalsClient}, an
 * {@link io.annals.core.api.EventStore} that talks to a running server, and its HTTP-specific errors.
 * This package is the public API; {@code io.annals.client.internal} is machinery.
 */
package io.annals.client;
