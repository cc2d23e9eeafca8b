/**
 * The storage SPI: what an engine (RocksDB, Cassandra, in-memory) implements. The {@code EventStore} facade validates
 * requests, assigns ids and timestamps, and hands engines fully formed events. Engines register a
 * {@link io.annals.core.spi.StorageEngineProvider} with {@link java.util.ServiceLoader}.
 * Every engine must pass the contract suite in {@code annals-testkit}.
 */
package io.annals.core.spi;
