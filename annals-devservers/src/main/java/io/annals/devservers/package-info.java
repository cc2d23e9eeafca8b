/** Launchers for real servers (Apache Cassandra, Apache Kafka) in forked JVMs, for tests and local development. */
package io.annals.devservers;
