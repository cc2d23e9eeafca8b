package io.annals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QueryBenchTest {
    @Test
    void countsTheEventsOfAPageWithoutParsingIt() {
        byte[] marker = "\"processedAt\":".getBytes(StandardCharsets.UTF_8);
        String page = "{\"events\":[{\"id\":\"a\",\"processedAt\":\"x\"},{\"id\":\"b\",\"processedAt\":\"y\"}]}";
        assertThat(QueryBench.count(page.getBytes(StandardCharsets.UTF_8), marker)).isEqualTo(2);
        assertThat(QueryBench.count("{\"events\":[]}".getBytes(StandardCharsets.UTF_8), marker)).isZero();
    }
}
