/** The Apache Cassandra storage engine (provider name {@code cassandra}). */
package io.annals.store.cassandra;
