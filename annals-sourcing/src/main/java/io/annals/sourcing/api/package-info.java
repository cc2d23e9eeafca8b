/**
 * Event sourcing on annals: typed events (records under one sealed interface per aggregate type), a checked
 * {@link io.annals.sourcing.api.Domain}, emitting with {@link io.annals.sourcing.api.Events}, typed histories and
 * state folded from them ({@link io.annals.sourcing.api.Fold}), upcasting of old event versions and a middleware
 * chain for appends and deliveries. Start with {@link io.annals.sourcing.api.Sourcing#on}.
 * Users import only this package; {@code io.annals.sourcing.internal} is machinery that may change without notice.
 */
package io.annals.sourcing.api;
