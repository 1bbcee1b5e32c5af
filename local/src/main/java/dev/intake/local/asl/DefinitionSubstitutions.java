package dev.intake.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces ${Name} placeholders in string values, like CloudFormation's DefinitionSubstitutions.
 * A placeholder without a value is an error: deployed, it would reach Step Functions verbatim.
 */
final class DefinitionSubstitutions {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    /** Paths (relative to the enclosing state) of the objects whose fields are states. */
    private static final Pattern STATES_CONTAINER = Pattern.compile("States|ItemProcessor/States|Branches\\[\\d+]/States");

    private DefinitionSubstitutions() {
    }

    static JsonNode apply(JsonNode definition, Map<String, String> substitutions) {
        return substitute(definition, substitutions, null, "");
    }

    /** {@code stateName} is the innermost state around the value, for the error message. */
    private static JsonNode substitute(JsonNode node, Map<String, String> substitutions, String stateName, String path) {
        if (node.isTextual()) {
            return JsonValues.NODES.textNode(substitute(node.textValue(), substitutions, stateName, path));
        }
        if (node.isObject()) {
            ObjectNode result = JsonValues.NODES.objectNode();
            boolean childrenAreStates = STATES_CONTAINER.matcher(path).matches();
            node.properties().forEach(field -> {
                String childState = childrenAreStates ? field.getKey() : stateName;
                String childPath = childrenAreStates ? "" : join(path, field.getKey());
                result.set(field.getKey(), substitute(field.getValue(), substitutions, childState, childPath));
            });
            return result;
        }
        if (node.isArray()) {
            ArrayNode result = JsonValues.NODES.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                result.add(substitute(node.get(i), substitutions, stateName, path + "[" + i + "]"));
            }
            return result;
        }
        return node;
    }

    private static String substitute(String text, Map<String, String> substitutions, String stateName, String path) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String value = substitutions.get(matcher.group(1));
            if (value == null) {
                String where = stateName == null ? "State machine" : "State '" + stateName + "'";
                throw new AslValidationException(where + ": definition substitution '" + matcher.group()
                        + "' in field '" + path + "' has no value");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "/" + key;
    }
}
