/** Machinery of the annals server (routes, problems, auth, metrics, TLS); not an API: use {@code io.annals.server}. */
package io.annals.server.internal;
