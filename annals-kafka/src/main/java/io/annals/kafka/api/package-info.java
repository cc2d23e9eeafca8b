/**
 * Public API of annals-kafka: {@link io.annals.kafka.api.KafkaRelay} publishes a store's log to Kafka and
 * {@link io.annals.kafka.api.KafkaIngest} appends Kafka topics to a store. Delivery guarantees: docs/kafka.md.
 */
package io.annals.kafka.api;
