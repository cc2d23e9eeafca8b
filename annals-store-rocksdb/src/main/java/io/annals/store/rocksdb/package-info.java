/**
 * The embedded storage engine on RocksDB. {@link io.annals.store.rocksdb.RocksDbEngine} and its provider are the
 * public entry points (most users open it by name through {@code EventStores.open("rocksdb", settings)});
 * every other class here is package-private machinery: key encodings, the group-commit writer, the readers.
 */
package io.annals.store.rocksdb;
