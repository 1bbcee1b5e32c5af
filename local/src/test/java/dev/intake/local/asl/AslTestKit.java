package dev.intake.local.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers shared by the executor tests: JSON literals, machines, and a scriptable function invoker. */
final class AslTestKit {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private AslTestKit() {
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** A JSONata state machine with the given StartAt and States object. */
    static StateMachine machine(String startAt, String states) {
        return StateMachine.parse(definition(startAt, states));
    }

    static String definition(String startAt, String states) {
        return "{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"" + startAt + "\", \"States\": " + states + "}";
    }

    /** A function body for {@link ScriptedFunctions}. */
    @FunctionalInterface
    interface FunctionBody {
        JsonNode apply(JsonNode payload) throws FunctionError;
    }

    /** One recorded invocation. */
    record Invocation(String functionName, JsonNode payload) {
    }

    /**
     * A FunctionInvoker whose functions the test defines; records every invocation and the highest number of
     * invocations that ran at the same time.
     */
    static final class ScriptedFunctions implements FunctionInvoker {
        private final Map<String, FunctionBody> functions = new ConcurrentHashMap<>();
        private final List<Invocation> invocations = new ArrayList<>();
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger maxRunning = new AtomicInteger();

        ScriptedFunctions define(String name, FunctionBody body) {
            functions.put(name, body);
            return this;
        }

        @Override
        public JsonNode invoke(String functionName, JsonNode payload) throws FunctionError {
            synchronized (invocations) {
                invocations.add(new Invocation(functionName, payload));
            }
            FunctionBody body = functions.get(functionName);
            if (body == null) {
                throw new IllegalStateException("no function " + functionName);
            }
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                return body.apply(payload);
            } finally {
                running.decrementAndGet();
            }
        }

        List<Invocation> invocations() {
            synchronized (invocations) {
                return List.copyOf(invocations);
            }
        }

        List<JsonNode> payloads(String functionName) {
            return invocations().stream().filter(i -> i.functionName().equals(functionName)).map(Invocation::payload).toList();
        }

        int maxConcurrentInvocations() {
            return maxRunning.get();
        }
    }
}
