package io.annals.kafka.internal;

import io.annals.kafka.api.KafkaTransport;
import io.annals.sourcing.api.Transport;
import io.annals.sourcing.api.TransportFactory;
import java.util.Map;

/**
 * {@code transport = kafka}: settings {@code bootstrap-servers} (required), {@code topic} (default
 * {@code annals.events}), and client settings as {@code producer.<key>} and {@code consumer.<key>}.
 */
public final class KafkaTransportFactory implements TransportFactory {

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Transport create(Map<String, String> settings) {
        KafkaTransport.Builder b = KafkaTransport.builder();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            if (key.equals("bootstrap-servers")) b.bootstrapServers(e.getValue());
            else if (key.equals("topic")) b.topic(e.getValue());
            else if (key.startsWith("producer.")) b.producerProperty(key.substring("producer.".length()), e.getValue());
            else if (key.startsWith("consumer.")) b.consumerProperty(key.substring("consumer.".length()), e.getValue());
            else throw new IllegalArgumentException("unknown Kafka transport setting 'transport." + key + "': use"
                        + " transport.bootstrap-servers, transport.topic, transport.producer.* or transport.consumer.*");
        }
        if (!settings.containsKey("bootstrap-servers"))
            throw new IllegalArgumentException("the Kafka transport needs transport.bootstrap-servers (for example"
                    + " localhost:9092)");
        return b.build();
    }
}
