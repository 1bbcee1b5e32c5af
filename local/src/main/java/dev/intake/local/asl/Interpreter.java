package dev.intake.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs the states of one execution. A JSONata state evaluates Arguments, does its work, then evaluates
 * Assign and Output against the same bindings; new variable values take effect only after both.
 */
final class Interpreter {
    /** Step Functions caps an execution's history at 25,000 events; a runaway loop must not run forever here. */
    static final int MAX_STATE_TRANSITIONS = 25_000;
    /** Inline Map runs at most 40 iterations at once. */
    static final int INLINE_MAP_MAX_CONCURRENCY = 40;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final FunctionInvoker invoker;
    private final Sleeper sleeper;
    private final ExecutorService branchPool;
    private final Clock clock;
    private final JsonNode executionContext;
    private final Consumer<String> onStateEntered;
    private final AtomicInteger transitions = new AtomicInteger();

    /** One state's attempt: given the context object, evaluate and do the work. */
    @FunctionalInterface
    private interface Attempt {
        Step run(JsonNode context) throws StateFailure;
    }

    /** A state's output and the state to go to next (null: the graph ends). */
    private record Step(JsonNode output, String next) {
    }

    Interpreter(FunctionInvoker invoker, Sleeper sleeper, ExecutorService branchPool, Clock clock,
                JsonNode executionContext, Consumer<String> onStateEntered) {
        this.invoker = invoker;
        this.sleeper = sleeper;
        this.branchPool = branchPool;
        this.clock = clock;
        this.executionContext = executionContext;
        this.onStateEntered = onStateEntered;
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** Runs a graph from StartAt to an End, Succeed or Fail state; a Fail state throws its error. */
    JsonNode run(StateGraph graph, JsonNode input, Scope scope) throws StateFailure {
        String name = graph.startAt();
        JsonNode current = input;
        while (true) {
            throwIfCancelled(scope);
            enter(name);
            Step step = runState(graph.states().get(name), current, scope);
            if (step.next() == null) {
                return step.output();
            }
            name = step.next();
            current = step.output();
        }
    }

    private void enter(String name) throws StateFailure {
        if (transitions.incrementAndGet() > MAX_STATE_TRANSITIONS) {
            throw new StateFailure(ErrorNames.RUNTIME, "The execution exceeded " + MAX_STATE_TRANSITIONS
                    + " state transitions (entering state '" + name + "')");
        }
        onStateEntered.accept(name);
    }

    private Step runState(State state, JsonNode input, Scope scope) throws StateFailure {
        if (state instanceof State.Task task) {
            return withErrorHandling(task.name(), task.retriers(), task.catchers(), input, scope,
                    context -> runTask(task, input, scope, context));
        }
        if (state instanceof State.MapState map) {
            return withErrorHandling(map.name(), map.retriers(), map.catchers(), input, scope,
                    context -> runMap(map, input, scope, context));
        }
        if (state instanceof State.Parallel parallel) {
            return withErrorHandling(parallel.name(), parallel.retriers(), parallel.catchers(), input, scope,
                    context -> runParallel(parallel, input, scope, context));
        }
        JsonNode context = stateContext(state.name(), now(), 0);
        Bindings bindings = bindings(state.name(), scope, input, null, null, context);
        if (state instanceof State.Pass pass) {
            return new Step(finish(pass.assign(), pass.output(), input, bindings, scope), pass.next());
        }
        if (state instanceof State.Choice choice) {
            return runChoice(choice, input, scope, bindings);
        }
        if (state instanceof State.Wait wait) {
            sleep(waitDuration(wait, bindings));
            return new Step(finish(wait.assign(), wait.output(), input, bindings, scope), wait.next());
        }
        if (state instanceof State.Succeed succeed) {
            return new Step(succeed.output() == null ? input : succeed.output().evaluate(bindings), null);
        }
        State.Fail fail = (State.Fail) state;
        throw new StateFailure(optionalString(fail.error(), "Error", bindings), optionalString(fail.cause(), "Cause", bindings));
    }

    /**
     * Retry, then Catch: the first retrier whose ErrorEquals matches decides whether to retry (each retrier
     * counts its own attempts); when it does not, the first matching catcher handles the error.
     */
    private Step withErrorHandling(String name, List<Retrier> retriers, List<Catcher> catchers, JsonNode input,
                                   Scope scope, Attempt attempt) throws StateFailure {
        String enteredTime = now();
        int[] retriesByRetrier = new int[retriers.size()];
        int retryCount = 0;
        while (true) {
            StateFailure failure;
            try {
                return attempt.run(stateContext(name, enteredTime, retryCount));
            } catch (StateFailure f) {
                failure = f;
            }
            if (failure.isRuntime()) {
                throw failure;
            }
            throwIfCancelled(scope); // a stopped execution, or a failed sibling iteration, is not retried or caught
            int retrier = firstMatching(retriers, failure.error());
            if (retrier >= 0 && retriesByRetrier[retrier] < retriers.get(retrier).maxAttempts()) {
                sleep(retriers.get(retrier).delayBeforeRetry(retriesByRetrier[retrier], ThreadLocalRandom.current()::nextDouble));
                retriesByRetrier[retrier]++;
                retryCount++;
                continue;
            }
            for (Catcher catcher : catchers) {
                if (catcher.matches(failure.error())) {
                    JsonNode errorOutput = failure.errorOutput();
                    Bindings bindings = bindings(name, scope, input, null, errorOutput,
                            stateContext(name, enteredTime, retryCount));
                    return new Step(finish(catcher.assign(), catcher.output(), errorOutput, bindings, scope), catcher.next());
                }
            }
            throw failure;
        }
    }

    private static int firstMatching(List<Retrier> retriers, String error) {
        for (int i = 0; i < retriers.size(); i++) {
            if (retriers.get(i).matches(error)) {
                return i;
            }
        }
        return -1;
    }

    // ---- Task: arn:aws:states:::lambda:invoke ----

    private Step runTask(State.Task task, JsonNode input, Scope scope, JsonNode context) throws StateFailure {
        Bindings bindings = bindings(task.name(), scope, input, null, null, context);
        JsonNode arguments = task.arguments().evaluate(bindings);
        Duration timeout = task.timeoutSeconds() == null ? null
                : Duration.ofSeconds(integer(task.timeoutSeconds().evaluate(bindings), task.name(), "TimeoutSeconds", 1));
        JsonNode functionName = arguments.get("FunctionName");
        if (!functionName.isTextual() || functionName.textValue().isBlank()) {
            throw new StateFailure(ErrorNames.RUNTIME, "An error occurred while executing the state '" + task.name()
                    + "'. Arguments/FunctionName evaluated to " + functionName + ", not a function name");
        }
        JsonNode payloadOut = invoke(task.name(), functionName.textValue(), arguments.get("Payload"), timeout);
        ObjectNode result = JsonValues.NODES.objectNode();
        result.put("ExecutedVersion", "$LATEST");
        result.set("Payload", payloadOut == null ? JsonValues.NODES.nullNode() : payloadOut.deepCopy());
        result.put("StatusCode", 200);
        Bindings resultBindings = bindings(task.name(), scope, input, result, null, context);
        return new Step(finish(task.assign(), task.output(), result, resultBindings, scope), task.next());
    }

    private JsonNode invoke(String stateName, String functionName, JsonNode payload, Duration timeout) throws StateFailure {
        try {
            return timeout == null ? invoker.invoke(functionName, payload) : invokeWithin(functionName, payload, timeout);
        } catch (FunctionError e) {
            ObjectNode cause = JsonValues.NODES.objectNode();
            cause.put("errorMessage", e.errorMessage());
            cause.put("errorType", e.errorType());
            cause.putArray("stackTrace");
            throw new StateFailure(e.errorType(), JsonValues.write(cause));
        } catch (TimedOut e) {
            throw new StateFailure(ErrorNames.TIMEOUT, null);
        } catch (ExecutionCancelledException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StateFailure(ErrorNames.TASK_FAILED, "An error occurred while executing the state '" + stateName
                    + "'. Invoking function '" + functionName + "' failed: " + e);
        }
    }

    /** Thrown when a Task's TimeoutSeconds elapses. */
    private static final class TimedOut extends Exception {
    }

    private JsonNode invokeWithin(String functionName, JsonNode payload, Duration timeout) throws FunctionError, TimedOut {
        CompletableFuture<JsonNode> outcome = new CompletableFuture<>();
        AtomicReference<Future<?>> running = new AtomicReference<>();
        Runnable start = () -> running.set(branchPool.submit(() -> {
            try {
                outcome.complete(invoker.invoke(functionName, payload));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        }));
        boolean completed;
        try {
            completed = sleeper.awaitCompletion(start, outcome, timeout);
        } catch (InterruptedException e) {
            cancel(running.get());
            throw new ExecutionCancelledException();
        }
        if (!completed) {
            cancel(running.get());
            throw new TimedOut();
        }
        try {
            return outcome.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof FunctionError functionError) {
                throw functionError;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static void cancel(Future<?> invocation) {
        if (invocation != null) {
            invocation.cancel(true);
        }
    }

    // ---- Map and Parallel ----

    private Step runMap(State.MapState map, JsonNode input, Scope scope, JsonNode context) throws StateFailure {
        Bindings bindings = bindings(map.name(), scope, input, null, null, context);
        JsonNode items = map.items() == null ? input : map.items().evaluate(bindings);
        if (!items.isArray()) {
            throw StateFailure.queryEvaluation(map.name(), "The field '" + (map.items() == null ? "input" : "Items")
                    + "' must be a JSON array to iterate over, but it is " + items.getNodeType() + ".");
        }
        int maxConcurrency = map.maxConcurrency() == null ? 0
                : (int) integer(map.maxConcurrency().evaluate(bindings), map.name(), "MaxConcurrency", 0);
        int concurrency = maxConcurrency == 0 ? INLINE_MAP_MAX_CONCURRENCY : Math.min(maxConcurrency, INLINE_MAP_MAX_CONCURRENCY);
        List<JsonNode> results = ConcurrentBranches.run(branchPool, items.size(), concurrency, scope, (index, iterationScope) -> {
            JsonNode item = items.get(index);
            JsonNode iterationInput = item;
            if (map.itemSelector() != null) {
                ObjectNode itemContext = context.deepCopy();
                ObjectNode mapItem = itemContext.putObject("Map").putObject("Item");
                mapItem.put("Index", index);
                mapItem.set("Value", item);
                iterationInput = map.itemSelector().evaluate(bindings(map.name(), scope, input, null, null, itemContext));
            }
            return run(map.itemProcessor(), iterationInput, iterationScope);
        });
        ArrayNode result = JsonValues.NODES.arrayNode().addAll(results);
        Bindings resultBindings = bindings(map.name(), scope, input, result, null, context);
        return new Step(finish(map.assign(), map.output(), result, resultBindings, scope), map.next());
    }

    private Step runParallel(State.Parallel parallel, JsonNode input, Scope scope, JsonNode context) throws StateFailure {
        Bindings bindings = bindings(parallel.name(), scope, input, null, null, context);
        JsonNode branchInput = parallel.arguments() == null ? input : parallel.arguments().evaluate(bindings);
        List<StateGraph> branches = parallel.branches();
        List<JsonNode> results = ConcurrentBranches.run(branchPool, branches.size(), branches.size(), scope,
                (index, branchScope) -> run(branches.get(index), branchInput, branchScope));
        ArrayNode result = JsonValues.NODES.arrayNode().addAll(results);
        Bindings resultBindings = bindings(parallel.name(), scope, input, result, null, context);
        return new Step(finish(parallel.assign(), parallel.output(), result, resultBindings, scope), parallel.next());
    }

    // ---- Choice and Wait ----

    private Step runChoice(State.Choice choice, JsonNode input, Scope scope, Bindings bindings) throws StateFailure {
        for (int i = 0; i < choice.rules().size(); i++) {
            State.ChoiceRule rule = choice.rules().get(i);
            JsonNode matched = rule.condition().evaluate(bindings);
            if (!matched.isBoolean()) {
                throw StateFailure.queryEvaluation(choice.name(), "The Condition of Choices[" + i
                        + "] must evaluate to a boolean, but it returned " + matched + ".");
            }
            if (matched.booleanValue()) {
                // The state's Assign applies whichever rule matches; the rule's own Assign and Output take precedence.
                JsonNode stateAssigned = choice.assign() == null ? null : choice.assign().evaluate(bindings);
                JsonNode ruleAssigned = rule.assign() == null ? null : rule.assign().evaluate(bindings);
                Template output = rule.output() != null ? rule.output() : choice.output();
                JsonNode result = output == null ? input : output.evaluate(bindings);
                assignVariables(stateAssigned, scope);
                assignVariables(ruleAssigned, scope);
                return new Step(result, rule.next());
            }
        }
        if (choice.defaultNext() == null) {
            throw new StateFailure(ErrorNames.NO_CHOICE_MATCHED, "An error occurred while executing the state '"
                    + choice.name() + "'. No Choice Rule matched and the state has no Default.");
        }
        return new Step(finish(choice.assign(), choice.output(), input, bindings, scope), choice.defaultNext());
    }

    private Duration waitDuration(State.Wait wait, Bindings bindings) throws StateFailure {
        if (wait.seconds() != null) {
            return Duration.ofSeconds(integer(wait.seconds().evaluate(bindings), wait.name(), "Seconds", 0));
        }
        JsonNode timestamp = wait.timestamp().evaluate(bindings);
        Instant until = timestamp.isTextual() ? State.Wait.parseTimestamp(timestamp.textValue()) : null;
        if (until == null) {
            throw StateFailure.queryEvaluation(wait.name(), "The field 'Timestamp' must be an ISO-8601 timestamp, but it is "
                    + timestamp + ".");
        }
        Duration remaining = Duration.between(clock.instant(), until);
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    // ---- shared helpers ----

    /** Evaluates Assign and Output with the same bindings, then applies the new variable values. */
    private static JsonNode finish(Template assign, Template output, JsonNode defaultOutput, Bindings bindings,
                                   Scope scope) throws StateFailure {
        JsonNode assigned = assign == null ? null : assign.evaluate(bindings);
        JsonNode result = output == null ? defaultOutput : output.evaluate(bindings);
        assignVariables(assigned, scope);
        return result;
    }

    private static void assignVariables(JsonNode assigned, Scope scope) {
        if (assigned != null) {
            Map<String, JsonNode> values = new LinkedHashMap<>();
            assigned.properties().forEach(e -> values.put(e.getKey(), e.getValue()));
            scope.assign(values);
        }
    }

    private Bindings bindings(String stateName, Scope scope, JsonNode input, JsonNode result, JsonNode errorOutput,
                              JsonNode context) {
        Map<String, Object> states = new LinkedHashMap<>();
        states.put("input", JsonValues.toJava(input));
        if (result != null) {
            states.put("result", JsonValues.toJava(result));
        }
        if (errorOutput != null) {
            states.put("errorOutput", JsonValues.toJava(errorOutput));
        }
        states.put("context", JsonValues.toJava(context));
        return new Bindings(stateName, states, scope);
    }

    private JsonNode stateContext(String stateName, String enteredTime, int retryCount) {
        ObjectNode context = JsonValues.NODES.objectNode();
        context.set("Execution", executionContext);
        ObjectNode state = context.putObject("State");
        state.put("EnteredTime", enteredTime);
        state.put("Name", stateName);
        state.put("RetryCount", retryCount);
        return context;
    }

    private static long integer(JsonNode value, String stateName, String field, long min) throws StateFailure {
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min
                || value.longValue() > 99_999_999) {
            throw StateFailure.queryEvaluation(stateName, "The field '" + field + "' must be an integer from " + min
                    + " to 99999999, but it is " + value + ".");
        }
        return value.longValue();
    }

    private static String optionalString(Template template, String field, Bindings bindings) throws StateFailure {
        if (template == null) {
            return null;
        }
        JsonNode value = template.evaluate(bindings);
        if (!value.isTextual()) {
            throw StateFailure.queryEvaluation(bindings.stateName(), "The field '" + field
                    + "' must evaluate to a string, but it returned " + value + ".");
        }
        return value.textValue();
    }

    private void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            throw new ExecutionCancelledException();
        }
    }

    private static void throwIfCancelled(Scope scope) {
        if (scope.isCancelled()) {
            throw new ExecutionCancelledException();
        }
    }

    private String now() {
        return timestamp(clock.instant());
    }
}
