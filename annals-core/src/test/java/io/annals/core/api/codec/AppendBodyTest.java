package io.annals.core.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AppendRequest;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.NewEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AppendBodyTest {
    private static AppendRequest read(String json) {
        return AppendBody.read(Json.parse(Json.mapper(), json.getBytes(StandardCharsets.UTF_8)), false);
    }

    @Test
    void oneEventArrayOrBatchObject() {
        assertThat(read("{\"type\":\"a\"}").events()).extracting(NewEvent::type).containsExactly("a");
        assertThat(read("[{\"type\":\"a\"},{\"type\":\"b\"}]").events()).extracting(NewEvent::type).containsExactly("a", "b");
        AppendRequest batch = read("{\"events\":[{\"type\":\"a\"}],\"expectedVersion\":3}");
        assertThat(batch.events()).hasSize(1);
        assertThat(batch.expectedVersion()).isEqualTo(ExpectedVersion.exactly(3));
        assertThat(read("{\"events\":[{\"type\":\"a\"}]}").expectedVersion()).isEqualTo(ExpectedVersion.any());
        assertThat(read("[{\"type\":\"a\"}]").expectedVersion()).isEqualTo(ExpectedVersion.any());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "any"      | any
            "noStream" | noStream
            "7"        | 7
            0          | 0
            12         | 12
            null       | any
            """)
    void expectedVersionForms(String json, String text) {
        assertThat(read("{\"events\":[{\"type\":\"a\"}],\"expectedVersion\":" + json + "}").expectedVersion().text()).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"events":[{"type":"a"}],"expectedVersion":-1}          | expectedVersion must be
            {"events":[{"type":"a"}],"expectedVersion":"soon"}      | expectedVersion must be
            {"events":[{"type":"a"}],"expectedVersion":1.5}         | expectedVersion must be
            {"events":[{"type":"a"}],"expectedVersion":true}        | expectedVersion must be
            {"events":[{"type":"a"}],"expectedVersion":"-1"}        | expected version must be >= 0
            {"events":{"type":"a"}}                                 | events must be an array
            {"events":[],"extra":1}                                 | unknown field 'extra' beside 'events'
            [{"type":"a"},{"typ":"b"}]                              | events[1]: unknown field 'typ'
            {"events":[{"type":"a"},{}]}                            | events[1]: type is required
            """)
    void badBodiesAreRefusedSayingWhere(String json, String message) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(InvalidEventException.class).hasMessageContaining(message);
    }

    @Test
    void emptyBodyIsRefused() {
        assertThatThrownBy(() -> AppendBody.read(null, false)).isInstanceOf(InvalidEventException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> AppendBody.read(com.fasterxml.jackson.databind.node.MissingNode.getInstance(), false))
                .isInstanceOf(InvalidEventException.class);
    }
}
