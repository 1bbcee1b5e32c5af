package dev.intake.local.asl;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts between Jackson trees and the plain Maps/Lists/Numbers the dashjoin JSONata engine works on. */
final class JsonValues {
    /** Rejects duplicate keys: a definition with two "Next" fields must not silently keep one. */
    static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Beyond 2^53 a double no longer holds every integer, so it stays a double. */
    private static final double MAX_EXACT_INTEGER = 9007199254740992d;

    private JsonValues() {
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON null becomes {@link Jsonata#NULL_VALUE}, because a Java null means "undefined" to the engine. */
    static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Jsonata.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(e -> map.put(e.getKey(), toJava(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(toJava(element)));
            return list;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.doubleValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        throw new IllegalArgumentException("Unsupported JSON node " + node.getNodeType());
    }

    /**
     * Converts an engine result to JSON. Integral numbers become JSON integers, as JavaScript would print
     * them (the engine may hand back 5.0 for 2.5 * 2).
     *
     * @throws IllegalArgumentException for values JSON cannot hold (functions, regexes, non-finite numbers)
     */
    static JsonNode toJson(Object value) {
        if (value == null || value == Jsonata.NULL_VALUE) {
            return NODES.nullNode();
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((key, v) -> object.set(String.valueOf(key), toJson(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(element -> array.add(toJson(element)));
            return array;
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return integerNode(((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            return NODES.numberNode(big);
        }
        if (value instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("non-finite number " + d);
            }
            if (d == Math.rint(d) && Math.abs(d) <= MAX_EXACT_INTEGER) {
                return integerNode((long) d);
            }
            return NODES.numberNode(d);
        }
        throw new IllegalArgumentException("unsupported result type " + value.getClass().getSimpleName());
    }

    /** An int node when the value fits, as Jackson itself reads JSON integers. */
    private static JsonNode integerNode(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }
}
