/**
 * The annals HTTP server: {@link io.annals.server.AnnalsServer} serves an {@code EventStore} over the HTTP API that
 * {@code docs/http-api.md} describes, configured by {@link io.annals.server.ServerConfig} (Typesafe Config, defaults
 * in {@code reference.conf}). This package is the module's public API; {@code io.annals.server.internal} is machinery.
 */
package io.annals.server;
