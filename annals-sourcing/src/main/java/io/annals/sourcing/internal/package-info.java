/** Machinery of annals-sourcing (the event type registry, codec, causal ordering, filters); not an API. */
package io.annals.sourcing.internal;
