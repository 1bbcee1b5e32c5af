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
    /** A Distributed Map's child execution: cancelled with its parent, but reads none of its variables. */
    private final boolean isolated;
    private final Map<String, JsonNode> variables = new ConcurrentHashMap<>();
    private volatile boolean cancelled;

    private Scope(Scope parent) {
        this(parent, false);
    }

    private Scope(Scope parent, boolean isolated) {
        this.parent = parent;
        this.isolated = isolated;
    }

    static Scope root() {
        return new Scope(null);
    }

    Scope child() {
        return new Scope(this);
    }

    /**
     * The scope of a child workflow execution: like a new execution's, it sees no variable of the
     * scopes around it (its input is all it gets), but it stops when they are cancelled.
     */
    Scope isolatedChild() {
        return new Scope(this, true);
    }

    /** @return the variable's value, or null when no enclosing scope assigned it */
    JsonNode lookup(String name) {
        JsonNode value = variables.get(name);
        return value != null || parent == null || isolated ? value : parent.lookup(name);
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
