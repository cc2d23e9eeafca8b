package io.annals.core.api.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.annals.core.api.InvalidEventException;
import java.io.IOException;

/**
 * The shared Jackson setup. Numbers are read exactly (BigDecimal/BigInteger, scale kept) so that a payload written
 * back is the client's JSON apart from whitespace; duplicate keys and trailing tokens are errors.
 */
public final class Json {
    public static final int DEFAULT_MAX_DEPTH = 64;
    private static final ObjectMapper MAPPER = mapper(DEFAULT_MAX_DEPTH);

    private Json() {}

    /** The default mapper (thread-safe, shared). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A mapper that refuses documents nested deeper than {@code maxDepth}. */
    public static ObjectMapper mapper(int maxDepth) {
        JsonMapper mapper = JsonMapper.builder()
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        mapper.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(maxDepth).build());
        return mapper;
    }

    /** Parses one JSON document, turning every parse failure into an {@link InvalidEventException} that says where. */
    public static JsonNode parse(ObjectMapper mapper, byte[] json) {
        try {
            return mapper.readTree(json);
        } catch (StreamConstraintsException e) {
            throw new InvalidEventException("the JSON document is nested too deeply: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("the body is not valid JSON: " + describe(e));
        } catch (IOException e) {
            throw new InvalidEventException("the body could not be read: " + e.getMessage(), e);
        }
    }

    /** Parses {@code json} and writes it back compactly. */
    public static String compact(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) throw new InvalidEventException("payload is empty, not JSON");
            return MAPPER.writeValueAsString(node);
        } catch (StreamConstraintsException e) {
            throw new InvalidEventException("payload is nested too deeply: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("payload is not valid JSON: " + describe(e));
        }
    }

    /** Writes a tree compactly. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (e.getLocation() != null)
            message += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return message;
    }
}
