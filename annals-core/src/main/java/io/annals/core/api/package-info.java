/**
 * The public API of annals: the event model ({@link io.annals.core.api.Event}, {@link io.annals.core.api.NewEvent}),
 * the {@link io.annals.core.api.EventStore} and its queries, pages, positions and errors.
 * Users import only from this package (and {@code io.annals.core.api.codec}); everything under
 * {@code io.annals.core.internal} is machinery that may change without notice.
 */
package io.annals.core.api;
