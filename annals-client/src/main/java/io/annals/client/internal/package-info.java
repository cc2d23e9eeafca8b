/** Machinery of the HTTP client (URLs, JSON bodies, error mapping); not public API. */
package io.annals.client.internal;
