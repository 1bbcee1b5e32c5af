package dev.intake.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * What the JSONata expressions of one state see: the reserved $states variable and the workflow
 * variables in scope. {@code stateName} names the state in evaluation errors.
 */
record Bindings(String stateName, Map<String, Object> states, Scope scope) {
    /** Binds only the names the expression mentions, so large variables are not converted needlessly. */
    Map<String, Object> forExpression(JsonataExpression expression) {
        Map<String, Object> bindings = new HashMap<>();
        for (String name : expression.referencedNames()) {
            if (name.equals("states")) {
                bindings.put(name, states);
            } else {
                JsonNode value = scope.lookup(name);
                if (value != null) {
                    bindings.put(name, JsonValues.toJava(value));
                }
            }
        }
        return bindings;
    }
}
