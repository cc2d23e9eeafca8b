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
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

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

    /** Parses {@code json} and writes it back compactly (see {@link #write(JsonNode)} for numbers). */
    public static String compact(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (StreamConstraintsException e) {
            throw new InvalidEventException("payload is nested too deeply: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("payload is not valid JSON: " + describe(e));
        }
        if (node == null || node.isMissingNode()) throw new InvalidEventException("payload is empty, not JSON");
        return write(node);
    }

    /**
     * Writes a tree compactly. Decimals keep their digits and scale and are written without an exponent unless
     * their scale is negative ({@code 0.0000001} stays so, {@code 1E+2} stays so), where Jackson's default would
     * turn {@code 0.0000001} into {@code 1E-7}.
     */
    public static String write(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            write(node, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonNode node, JsonGenerator g) throws IOException {
        if (node.isObject()) {
            g.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                g.writeFieldName(field.getKey());
                write(field.getValue(), g);
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode element : node) write(element, g);
            g.writeEndArray();
        } else if (node.isBigDecimal()) {
            BigDecimal d = node.decimalValue();
            g.writeNumber(d.scale() >= 0 ? d.toPlainString() : d.toString());
        } else {
            MAPPER.writeTree(g, node);
        }
    }

    static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (e.getLocation() != null)
            message += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return message;
    }
}
