package dev.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * An AWS service model (service-2.json) used to check requests against every constraint it
 * declares: required members, types, lengths, ranges, patterns and enums. Messages follow AWS's
 * validation wording so callers see what the real service would say.
 */
public final class ServiceModel {
    private static final Map<String, ServiceModel> LOADED = new ConcurrentHashMap<>();

    private final JsonNode shapes;
    private final JsonNode operations;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    private ServiceModel(JsonNode model) {
        this.shapes = model.get("shapes");
        this.operations = model.get("operations");
    }

    /** Loads (once per process) a model shipped under /api-models/. */
    public static ServiceModel load(String name) {
        return LOADED.computeIfAbsent(name, n -> {
            try (InputStream in = ServiceModel.class.getResourceAsStream("/api-models/" + n + ".service-2.json")) {
                if (in == null) {
                    throw new IllegalStateException("model " + n + " is not on the classpath");
                }
                return new ServiceModel(Json.MAPPER.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Whether the model says what the operation answers (Intake's own model does so only for some). */
    public boolean hasOutput(String operation) {
        return operations.path(operation).has("output");
    }

    /** The operation's http trait (rest protocols: method, requestUri, responseCode), or a missing node. */
    public JsonNode http(String operation) {
        return operations.path(operation).path("http");
    }

    /** The operation's input structure shape, or a missing node if it has none. */
    public JsonNode inputShape(String operation) {
        JsonNode input = operations.path(operation).get("input");
        return input == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : shapes.path(input.get("shape").asText());
    }

    /** A shape by name (a missing node if the model has none). */
    public JsonNode shape(String name) {
        return shapes.path(name);
    }

    public boolean hasOperation(String operation) {
        return operations.has(operation);
    }

    /** Checks an operation's request; throws INVALID_INPUT (constraints) or SERIALIZATION (types). */
    public void validateInput(String operation, JsonNode request) {
        JsonNode op = operations.get(operation);
        if (op == null) {
            throw new IllegalArgumentException("no operation " + operation + " in the model");
        }
        if (!request.isObject()) {
            throw new IntakeException(ErrorKind.SERIALIZATION, "The request body must be a JSON object");
        }
        JsonNode input = op.get("input");
        if (input == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        check(input.get("shape").asText(), request, "", problems);
        if (!problems.isEmpty()) {
            String prefix = problems.size() == 1 ? "1 validation error detected: "
                    : problems.size() + " validation errors detected: ";
            throw IntakeException.invalid(prefix + String.join("; ", problems));
        }
    }

    /**
     * How a response differs from the operation's output shape in the model: members the model does
     * not name, members it requires that are missing, and values of the wrong type, length, pattern
     * or enum. Empty when it conforms. (Tests turn this on for every response: see JsonApiHandler.)
     */
    public List<String> outputProblems(String operation, JsonNode response) {
        JsonNode output = operations.path(operation).get("output");
        List<String> problems = new ArrayList<>();
        if (output == null) {
            if (response != null && response.size() > 0) {
                problems.add("the model's " + operation + " has no output, but the response has members " + response);
            }
            return problems;
        }
        try {
            checkOutput(output.get("shape").asText(), response, "", problems);
        } catch (IntakeException wrongType) {
            problems.add(wrongType.getMessage());
        }
        return problems;
    }

    private void checkOutput(String shapeName, JsonNode value, String path, List<String> problems) {
        JsonNode shape = shapes.get(shapeName);
        String type = shape.path("type").asText();
        if (type.equals("structure") && value != null && value.isObject() && !shape.path("document").asBoolean(false)) {
            JsonNode members = shape.path("members");
            for (JsonNode required : shape.path("required")) {
                JsonNode member = value.get(required.asText());
                if (member == null || member.isNull()) {
                    problems.add("'" + join(path, required.asText()) + "' is required but missing");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode member = members.get(e.getKey());
                if (member == null) {
                    problems.add("'" + join(path, e.getKey()) + "' is not a member of " + shapeName);
                } else if (!e.getValue().isNull()) {
                    checkOutput(member.get("shape").asText(), e.getValue(), join(path, e.getKey()), problems);
                }
            }
            return;
        }
        if (type.equals("list") && value != null && value.isArray()) {
            length(shape, value.size(), value, path, problems);
            String member = shape.get("member").get("shape").asText();
            for (int i = 0; i < value.size(); i++) {
                checkOutput(member, value.get(i), path + "." + (i + 1) + ".member", problems);
            }
            return;
        }
        check(shapeName, value, path, problems);
    }

    private void check(String shapeName, JsonNode value, String path, List<String> problems) {
        JsonNode shape = shapes.get(shapeName);
        if (shape.path("document").asBoolean(false)) {
            return; // a document member takes any JSON value
        }
        String type = shape.get("type").asText();
        switch (type) {
            case "structure" -> structure(shape, value, path, problems);
            case "list" -> {
                requireType(value.isArray(), path, "a list");
                length(shape, value.size(), value, path, problems);
                String member = shape.get("member").get("shape").asText();
                for (int i = 0; i < value.size(); i++) {
                    check(member, value.get(i), path + "." + (i + 1) + ".member", problems);
                }
            }
            case "map" -> {
                requireType(value.isObject(), path, "a map");
                length(shape, value.size(), value, path, problems);
                String valueShape = shape.get("value").get("shape").asText();
                String keyShape = shape.get("key").get("shape").asText();
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    var e = it.next();
                    check(keyShape, Json.MAPPER.getNodeFactory().textNode(e.getKey()), path + ".key", problems);
                    check(valueShape, e.getValue(), path + "." + e.getKey(), problems);
                }
            }
            case "string" -> {
                requireType(value.isTextual(), path, "a string");
                string(shape, value.asText(), path, problems);
                if (shape.path("sensitive").asBoolean(false)) {
                    // Never echo a sensitive value (tags) back in an error message.
                    problems.replaceAll(p -> p.replace("Value '" + abbreviate(value.asText()) + "' at '" + path + "'",
                            "Value '***' at '" + path + "'"));
                }
            }
            case "integer", "long" -> {
                requireType(value.isIntegralNumber() && value.canConvertToLong(), path, "an integer");
                range(shape, value.asLong(), path, problems);
            }
            case "float", "double" -> requireType(value.isNumber(), path, "a number");
            case "boolean" -> requireType(value.isBoolean(), path, "a boolean");
            // rest-json models may say a timestamp is an ISO 8601 string (DataZone's DateTime)
            case "timestamp" -> {
                if (shape.path("timestampFormat").asText().equals("iso8601")) {
                    requireType(value.isTextual(), path, "an ISO 8601 timestamp");
                } else {
                    requireType(value.isNumber(), path, "a timestamp in epoch seconds");
                }
            }
            default -> {
                // blobs and documents take any JSON value
            }
        }
    }

    private void structure(JsonNode shape, JsonNode value, String path, List<String> problems) {
        requireType(value.isObject(), path, "a structure");
        JsonNode members = shape.path("members");
        for (JsonNode required : shape.path("required")) {
            JsonNode member = value.get(required.asText());
            if (member == null || member.isNull()) {
                problems.add("Value null at '" + join(path, required.asText()) + "' failed to satisfy constraint: "
                        + "Member must not be null");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode member = members.get(e.getKey());
            if (member != null && !e.getValue().isNull()) {
                check(member.get("shape").asText(), e.getValue(), join(path, e.getKey()), problems);
            }
            // Unknown members are ignored, as the AWS JSON protocols do.
        }
    }

    private void string(JsonNode shape, String text, String path, List<String> problems) {
        int length = text.codePointCount(0, text.length());
        if (shape.has("min") && length < shape.get("min").asLong()) {
            problems.add(valueAt(text, path) + "Member must have length greater than or equal to " + shape.get("min").asLong());
        }
        if (shape.has("max") && length > shape.get("max").asLong()) {
            problems.add(valueAt(text, path) + "Member must have length less than or equal to " + shape.get("max").asLong());
        }
        if (shape.has("enum")) {
            List<String> allowed = new ArrayList<>();
            shape.get("enum").forEach(v -> allowed.add(v.asText()));
            if (!allowed.contains(text)) {
                problems.add(valueAt(text, path) + "Member must satisfy enum value set: " + allowed);
            }
        }
        if (shape.has("pattern")) {
            String regex = shape.get("pattern").asText();
            if (!patterns.computeIfAbsent(regex, Pattern::compile).matcher(text).matches()) {
                problems.add(valueAt(text, path) + "Member must satisfy regular expression pattern: " + regex);
            }
        }
    }

    private static void length(JsonNode shape, int size, JsonNode value, String path, List<String> problems) {
        if (shape.has("min") && size < shape.get("min").asLong()) {
            problems.add("Value at '" + path + "' failed to satisfy constraint: Member must have length greater than or equal to "
                    + shape.get("min").asLong());
        }
        if (shape.has("max") && size > shape.get("max").asLong()) {
            problems.add("Value at '" + path + "' failed to satisfy constraint: Member must have length less than or equal to "
                    + shape.get("max").asLong());
        }
    }

    private static void range(JsonNode shape, long number, String path, List<String> problems) {
        if (shape.has("min") && number < shape.get("min").asLong()) {
            problems.add("Value '" + number + "' at '" + path + "' failed to satisfy constraint: "
                    + "Member must have value greater than or equal to " + shape.get("min").asLong());
        }
        if (shape.has("max") && number > shape.get("max").asLong()) {
            problems.add("Value '" + number + "' at '" + path + "' failed to satisfy constraint: "
                    + "Member must have value less than or equal to " + shape.get("max").asLong());
        }
    }

    private static void requireType(boolean ok, String path, String expected) {
        if (!ok) {
            throw new IntakeException(ErrorKind.SERIALIZATION, "Value at '" + (path.isEmpty() ? "(body)" : path)
                    + "' must be " + expected);
        }
    }

    private static String valueAt(String text, String path) {
        return "Value '" + abbreviate(text) + "' at '" + path + "' failed to satisfy constraint: ";
    }

    private static String abbreviate(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }

    private static String join(String path, String member) {
        return path.isEmpty() ? member : path + "." + member;
    }
}
