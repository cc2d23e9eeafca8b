package io.annals.kafka;

import io.annals.devservers.SharedKafka;
import io.annals.kafka.api.KafkaTransport;
import io.annals.sourcing.api.Processing;
import io.annals.sourcing.api.Schedule;
import io.annals.sourcing.schedules.ScheduleContract;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The processing schedule contract on the durable schedule, against the shared broker: a topic of three partitions
 * per test, the transport given explicitly or made by configuration (ServiceLoader).
 */
class DurableScheduleTest {

    @Nested
    class GivenTransport extends ScheduleContract {
        KafkaTransport transport;

        @BeforeEach
        void open() throws Exception {
            String servers = SharedKafka.get().bootstrapServers();
            String topic = Topics.unique("durable");
            Topics.create(servers, 3, topic);
            transport = KafkaTransport.builder().bootstrapServers(servers).topic(topic).build();
        }

        @Override
        protected void closeResources() {
            transport.close();
        }

        @Override
        protected Processing.Builder schedule(Processing.Builder builder) {
            return builder.schedule(Schedule.DURABLE).transport(transport);
        }

        @Override
        protected boolean keepsEvents() {
            return true;
        }
    }

    @Nested
    class Configured extends ScheduleContract {
        Map<String, String> settings;

        @BeforeEach
        void open() throws Exception {
            String servers = SharedKafka.get().bootstrapServers();
            String topic = Topics.unique("durable");
            Topics.create(servers, 3, topic);
            settings = Map.of("schedule", "durable", "transport", "kafka", "transport.bootstrap-servers", servers,
                    "transport.topic", topic);
        }

        @Override
        protected Processing.Builder schedule(Processing.Builder builder) {
            return builder.configure(settings);
        }

        @Override
        protected boolean keepsEvents() {
            return true;
        }
    }
}
