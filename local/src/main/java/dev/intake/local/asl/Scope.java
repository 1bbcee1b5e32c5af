package dev.intake.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The variables of the top level of an execution, or of one Map iteration or Parallel branch.
 * An inner scope reads the variables of the scopes around it; what it assigns stays inside it.
 * A scope is also the unit of cancellation: cancelling one stops everything running inside it.
 */
final class Scope {
    private final Scope parent;
    private final Map<String, JsonNode> variables = new ConcurrentHashMap<>();
    private volatile boolean cancelled;

    private Scope(Scope parent) {
        this.parent = parent;
    }

    static Scope root() {
        return new Scope(null);
    }

    Scope child() {
        return new Scope(this);
    }

    /** @return the variable's value, or null when no enclosing scope assigned it */
    JsonNode lookup(String name) {
        JsonNode value = variables.get(name);
        return value != null || parent == null ? value : parent.lookup(name);
    }

    void assign(Map<String, JsonNode> values) {
        variables.putAll(values);
    }

    void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled || (parent != null && parent.isCancelled());
    }
}
