package io.annals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.devservers.SharedKafka;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The relay mode end to end on the shared broker, at a size a test can afford. */
class RelayBenchTest {
    @TempDir
    Path dir;

    @Test
    void theRelayAndTheRawProducerEachPublishTheWholeLog() throws Exception {
        Path json = dir.resolve("relay.json");
        int code = new CommandLine(new RelayBench()).execute("--events", "3000", "--rounds", "1", "--settle", "0",
                "--warmup-records", "500", "--data", dir.resolve("store").toString(),
                "--bootstrap-servers", SharedKafka.get().bootstrapServers(), "--json", json.toString());
        assertThat(code).as("every record reached its topic, no send failed").isZero();
        assertThat(json).content().contains("\"relay / raw-producer\"").contains("\"events\" : 3000");
    }

    @Test
    void theTargetIsTheRelayAgainstTheRawProducerOfItsRound() {
        Result raw = new Result("raw-producer-2", "", 1, 1000, 1000, 0, 1.0, null, -1);
        Result relay = new Result("relay-2", "", 1, 800, 800, 0, 1.0, null, -1);
        assertThat(RelayBench.checks(List.of(raw, relay))).singleElement().satisfies(c -> {
            assertThat(c.what()).isEqualTo("relay-2 / raw-producer-2");
            assertThat(c.value()).isEqualTo(0.8);
            assertThat(c.met()).isTrue();
        });
    }
}
