package dev.intake.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A parsed and validated state machine definition (JSONata query language only). */
public final class StateMachine {
    private final JsonNode definition;
    private final StateGraph graph;

    private StateMachine(JsonNode definition, StateGraph graph) {
        this.definition = definition;
        this.graph = graph;
    }

    /**
     * Applies definition substitutions (${Name} placeholders in string values, as CloudFormation's
     * DefinitionSubstitutions do) and validates the whole definition.
     *
     * @throws AslValidationException when the definition is invalid or uses something the local executor does
     *     not implement; the message names the state
     */
    public static StateMachine parse(String aslJson, Map<String, String> substitutions) {
        JsonNode json;
        try {
            json = JsonValues.parse(aslJson);
        } catch (IllegalArgumentException e) {
            throw new AslValidationException("State machine: " + e.getMessage(), e);
        }
        JsonNode substituted = DefinitionSubstitutions.apply(json, substitutions == null ? Map.of() : substitutions);
        return new StateMachine(substituted, DefinitionParser.parse(substituted));
    }

    public static StateMachine parse(String aslJson) {
        return parse(aslJson, Map.of());
    }

    /** The definition after substitution. */
    public JsonNode definition() {
        return definition.deepCopy();
    }

    StateGraph graph() {
        return graph;
    }

    /** The definition's TimeoutSeconds: an execution running longer ends TIMED_OUT. 0 means none. */
    public int timeoutSeconds() {
        return DefinitionParser.executionTimeoutSeconds(definition);
    }
}
