package dev.intake.local.asl;

import com.dashjoin.jsonata.JException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value from a JSONata-mode field (Arguments, Output, Assign, ...): any string that is exactly
 * "{% expression %}", at any depth, is replaced by the expression's value; everything else is literal.
 */
sealed interface Template {
    JsonNode evaluate(Bindings bindings) throws StateFailure;

    /** Every expression in the template, for definition checks. */
    List<JsonataExpression> expressions();

    /**
     * @param field the field's path within its state, e.g. "Arguments/Payload", used in error causes
     * @throws IllegalArgumentException when an expression does not parse
     */
    static Template compile(JsonNode value, String field) {
        if (value.isTextual() && isExpression(value.textValue())) {
            String source = value.textValue().substring(2, value.textValue().length() - 2).trim();
            if (source.isEmpty()) {
                throw new IllegalArgumentException("field '" + field + "' holds an empty JSONata expression");
            }
            try {
                return new Expression(JsonataExpression.compile(source), field);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("field '" + field + "' holds an invalid JSONata expression '"
                        + source + "': " + e.getMessage(), e);
            }
        }
        if (value.isObject()) {
            Map<String, Template> fields = new LinkedHashMap<>();
            value.properties().forEach(e -> fields.put(e.getKey(), compile(e.getValue(), field + "/" + e.getKey())));
            return fields.values().stream().allMatch(Literal.class::isInstance) ? new Literal(value) : new ObjectTemplate(fields);
        }
        if (value.isArray()) {
            List<Template> elements = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                elements.add(compile(value.get(i), field + "[" + i + "]"));
            }
            return elements.stream().allMatch(Literal.class::isInstance) ? new Literal(value) : new ArrayTemplate(elements);
        }
        return new Literal(value);
    }

    /** Leading or trailing characters outside the braces make the string a plain literal, as in Step Functions. */
    static boolean isExpression(String text) {
        return text.length() >= 4 && text.startsWith("{%") && text.endsWith("%}");
    }

    record Literal(JsonNode value) implements Template {
        @Override
        public JsonNode evaluate(Bindings bindings) {
            return value.deepCopy(); // callers may modify what they get; the definition must stay intact
        }

        @Override
        public List<JsonataExpression> expressions() {
            return List.of();
        }
    }

    record Expression(JsonataExpression expression, String field) implements Template {
        @Override
        public JsonNode evaluate(Bindings bindings) throws StateFailure {
            String described = "The JSONata expression '" + expression.source() + "' specified for the field '" + field + "'";
            Object result;
            try {
                result = expression.evaluate(bindings.forExpression(expression));
            } catch (RuntimeException e) {
                throw StateFailure.queryEvaluation(bindings.stateName(),
                        described + " threw an error during evaluation: " + describe(e));
            }
            if (result == null) {
                throw StateFailure.queryEvaluation(bindings.stateName(), described + " returned nothing (undefined).");
            }
            try {
                return JsonValues.toJson(result);
            } catch (IllegalArgumentException e) {
                throw StateFailure.queryEvaluation(bindings.stateName(),
                        described + " returned an unsupported result type (" + e.getMessage() + ").");
            }
        }

        @Override
        public List<JsonataExpression> expressions() {
            return List.of(expression);
        }

        private static String describe(RuntimeException e) {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return e instanceof JException j && j.getError() != null && !message.contains(j.getError())
                    ? j.getError() + ": " + message : message;
        }
    }

    record ObjectTemplate(Map<String, Template> fields) implements Template {
        @Override
        public JsonNode evaluate(Bindings bindings) throws StateFailure {
            ObjectNode object = JsonValues.NODES.objectNode();
            for (Map.Entry<String, Template> field : fields.entrySet()) {
                object.set(field.getKey(), field.getValue().evaluate(bindings));
            }
            return object;
        }

        @Override
        public List<JsonataExpression> expressions() {
            return fields.values().stream().flatMap(t -> t.expressions().stream()).toList();
        }
    }

    record ArrayTemplate(List<Template> elements) implements Template {
        @Override
        public JsonNode evaluate(Bindings bindings) throws StateFailure {
            ArrayNode array = JsonValues.NODES.arrayNode();
            for (Template element : elements) {
                array.add(element.evaluate(bindings));
            }
            return array;
        }

        @Override
        public List<JsonataExpression> expressions() {
            return elements.stream().flatMap(t -> t.expressions().stream()).toList();
        }
    }
}
