/**
 * Launchers for real servers in forked JVMs, for tests and local development: {@link
 * io.annals.devservers.CassandraNode} (one Apache Cassandra 5.0 node), {@link io.annals.devservers.SharedCassandra}
 * (one node per test JVM) and {@link io.annals.devservers.DevCassandra} (a node that outlives its starter, behind
 * {@code annals dev cassandra}); {@link io.annals.devservers.KafkaNode}, {@link io.annals.devservers.SharedKafka}
 * and {@link io.annals.devservers.DevKafka}, the same for one Apache Kafka broker in KRaft mode. JDK only: the servers' own jars are resolved by Maven when this module is built
 * and run in the child process only.
 */
package io.annals.devservers;
