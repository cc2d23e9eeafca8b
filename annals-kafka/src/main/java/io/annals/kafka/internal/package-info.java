/** Machinery of annals-kafka (the relay and ingest loops, the CloudEvents binding); not an API, may change. */
package io.annals.kafka.internal;
