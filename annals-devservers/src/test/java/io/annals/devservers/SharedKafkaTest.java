package io.annals.devservers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

class SharedKafkaTest {

    @Test
    void sharedBrokerCreatesTopicsOnFirstUseAndServesAConsumerGroupInOrder() {
        KafkaNode node = SharedKafka.get();
        String topic = "shared-" + ProcessHandle.current().pid();
        List<String> sent = IntStream.range(0, 100).mapToObj(i -> "event-" + i).toList();
        try (KafkaProducer<String, String> producer = KafkaClients.producer(node.bootstrapServers())) {
            sent.forEach(value -> producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "parcel/7", value)));
            producer.flush();
        }
        // A consumer group needs the offsets topic: this checks its replication factor fits one broker.
        assertThat(KafkaClients.read(node.bootstrapServers(), topic, topic + "-group", sent.size()))
                .extracting(ConsumerRecord::value).containsExactlyElementsOf(sent);
        assertThat(SharedKafka.get()).isSameAs(node);
        assertThat(node.workDir().getFileName().toString()).isEqualTo("kafka-shared-" + ProcessHandle.current().pid());
    }
}
