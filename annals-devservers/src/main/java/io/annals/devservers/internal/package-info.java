/**
 * Machinery behind the launchers: finding a Java, the build-time server classpath, configuration files, the child
 * process's main class, port picking and probes. Not an API: use {@link io.annals.devservers.CassandraNode},
 * {@link io.annals.devservers.SharedCassandra}, {@link io.annals.devservers.DevCassandra} and their Kafka twins.
 */
package io.annals.devservers.internal;
