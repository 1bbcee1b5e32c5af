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
    /**
     * Step Functions runs up to 10,000 child executions of a Distributed Map at once; locally each is
     * a thread, so at most this many (a definition's MaxConcurrency below it applies as it is).
     */
    static final int DISTRIBUTED_MAP_MAX_CONCURRENCY = 100;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final FunctionInvoker invoker;
    private final Sleeper sleeper;
    private final ExecutorService branchPool;
    private final Clock clock;
    private final JsonNode executionContext;
    private final Consumer<String> onStateEntered;
    private final ObjectReader objectReader;
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
        this(invoker, sleeper, branchPool, clock, executionContext, onStateEntered, ObjectReader.NONE);
    }

    /** @param objectReader what a Distributed Map's ItemReader reads S3 objects with */
    Interpreter(FunctionInvoker invoker, Sleeper sleeper, ExecutorService branchPool, Clock clock,
                JsonNode executionContext, Consumer<String> onStateEntered, ObjectReader objectReader) {
        this.invoker = invoker;
        this.sleeper = sleeper;
        this.branchPool = branchPool;
        this.clock = clock;
        this.executionContext = executionContext;
        this.onStateEntered = onStateEntered;
        this.objectReader = objectReader;
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
            PayloadLimit.requireWithin(step.output(), name);
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
            if (failure.isTerminal()) {
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
        PayloadLimit.requireWithin(result, task.name());
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
        if (map.distributed() != null) {
            return runDistributedMap(map, input, scope, context);
        }
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
        PayloadLimit.requireWithin(result, map.name()); // before Output: even a result the state drops must fit
        Bindings resultBindings = bindings(map.name(), scope, input, result, null, context);
        return new Step(finish(map.assign(), map.output(), result, resultBindings, scope), map.next());
    }

    /**
     * A Distributed Map: the items (from the ItemReader, or as an inline Map finds them) each run as a
     * child execution, in a scope that sees none of this execution's variables, with a context of its
     * own and its own count of state transitions. A failed child fails the Map Run only once more
     * children failed than tolerated: then the others are stopped and the state fails with
     * States.ExceedToleratedFailureThreshold (the children's own errors stay in their histories, as in
     * Step Functions). A tolerated failure's result is the child's error output.
     */
    private Step runDistributedMap(State.MapState map, JsonNode input, Scope scope, JsonNode context)
            throws StateFailure {
        State.Distributed distributed = map.distributed();
        Bindings bindings = bindings(map.name(), scope, input, null, null, context);
        JsonNode items = distributed.itemReader() != null ? readItems(map.name(), distributed.itemReader(), bindings)
                : map.items() == null ? input : map.items().evaluate(bindings);
        if (!items.isArray()) {
            throw StateFailure.queryEvaluation(map.name(), "The field '" + (map.items() == null ? "input" : "Items")
                    + "' must be a JSON array to iterate over, but it is " + items.getNodeType() + ".");
        }
        int maxConcurrency = map.maxConcurrency() == null ? 0
                : (int) integer(map.maxConcurrency().evaluate(bindings), map.name(), "MaxConcurrency", 0);
        int concurrency = maxConcurrency == 0 ? DISTRIBUTED_MAP_MAX_CONCURRENCY
                : Math.min(maxConcurrency, DISTRIBUTED_MAP_MAX_CONCURRENCY);
        // Each threshold given applies (exceeding either fails the Map Run); with neither, no failure is tolerated.
        boolean neither = distributed.toleratedFailurePercentage() == null && distributed.toleratedFailureCount() == null;
        double toleratedPercentage = distributed.toleratedFailurePercentage() == null ? (neither ? 0 : 100)
                : percentage(distributed.toleratedFailurePercentage().evaluate(bindings), map.name());
        long toleratedCount = distributed.toleratedFailureCount() == null ? (neither ? 0 : Long.MAX_VALUE)
                : integer(distributed.toleratedFailureCount().evaluate(bindings), map.name(), "ToleratedFailureCount", 0);
        int total = items.size();
        AtomicInteger failed = new AtomicInteger();
        String mapRun = (distributed.label() == null ? map.name() : distributed.label()) + ":"
                + java.util.UUID.randomUUID();
        List<JsonNode> results = ConcurrentBranches.run(branchPool, total, concurrency, scope, (index, iterationScope) -> {
            JsonNode item = items.get(index);
            JsonNode childInput = item;
            if (map.itemSelector() != null) {
                ObjectNode itemContext = context.deepCopy();
                ObjectNode mapItem = itemContext.putObject("Map").putObject("Item");
                mapItem.put("Index", index);
                mapItem.set("Value", item);
                childInput = map.itemSelector().evaluate(bindings(map.name(), scope, input, null, null, itemContext));
            }
            Interpreter child = new Interpreter(invoker, sleeper, branchPool, clock,
                    childExecutionContext(mapRun, index, childInput), name -> { }, objectReader);
            try {
                return child.run(map.itemProcessor(), childInput, iterationScope.isolatedChild());
            } catch (StateFailure failure) {
                int failures = failed.incrementAndGet();
                if (failures > toleratedCount || failures * 100.0 / total > toleratedPercentage) {
                    throw new StateFailure(ErrorNames.EXCEED_TOLERATED_FAILURE_THRESHOLD,
                            "The specified tolerated failure threshold was exceeded");
                }
                return failure.errorOutput();
            }
        });
        ArrayNode result = JsonValues.NODES.arrayNode().addAll(results);
        PayloadLimit.requireWithin(result, map.name()); // before Output: even a result the state drops must fit
        Bindings resultBindings = bindings(map.name(), scope, input, result, null, context);
        return new Step(finish(map.assign(), map.output(), result, resultBindings, scope), map.next());
    }

    /** The items of a JSON Lines object: one JSON value per non-blank line. */
    private JsonNode readItems(String stateName, State.ItemReader reader, Bindings bindings) throws StateFailure {
        JsonNode arguments = reader.arguments().evaluate(bindings);
        JsonNode bucket = arguments.get("Bucket");
        JsonNode key = arguments.get("Key");
        if (bucket == null || !bucket.isTextual() || key == null || !key.isTextual()) {
            throw new StateFailure(ErrorNames.ITEM_READER_FAILED, "ItemReader Arguments of state '" + stateName
                    + "' must give Bucket and Key as strings, not " + arguments);
        }
        ArrayNode items = JsonValues.NODES.arrayNode();
        String where = "s3://" + bucket.textValue() + "/" + key.textValue();
        try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(
                objectReader.getObject(bucket.textValue(), key.textValue()), java.nio.charset.StandardCharsets.UTF_8))) {
            long number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    items.add(JsonValues.parse(line));
                } catch (IllegalArgumentException e) {
                    throw new StateFailure(ErrorNames.ITEM_READER_FAILED, "Line " + number + " of " + where
                            + " is not a JSON value: " + e.getMessage());
                }
            }
        } catch (StateFailure f) {
            throw f;
        } catch (Exception e) {
            throw new StateFailure(ErrorNames.ITEM_READER_FAILED, "Could not read the items of " + where + ": "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        return items;
    }

    private JsonNode childExecutionContext(String mapRun, int index, JsonNode input) {
        ObjectNode execution = JsonValues.NODES.objectNode();
        String name = mapRun.substring(mapRun.indexOf(':') + 1) + "-" + index;
        execution.put("Id", executionContext.path("Id").asText() + "/" + mapRun + ":" + index);
        execution.set("Input", input);
        execution.put("Name", name);
        execution.put("StartTime", now());
        return execution;
    }

    private static double percentage(JsonNode value, String stateName) throws StateFailure {
        if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > 100) {
            throw StateFailure.queryEvaluation(stateName, "The field 'ToleratedFailurePercentage' must be a number from"
                    + " 0 to 100, but it is " + value + ".");
        }
        return value.doubleValue();
    }

    private Step runParallel(State.Parallel parallel, JsonNode input, Scope scope, JsonNode context) throws StateFailure {
        Bindings bindings = bindings(parallel.name(), scope, input, null, null, context);
        JsonNode branchInput = parallel.arguments() == null ? input : parallel.arguments().evaluate(bindings);
        List<StateGraph> branches = parallel.branches();
        List<JsonNode> results = ConcurrentBranches.run(branchPool, branches.size(), branches.size(), scope,
                (index, branchScope) -> run(branches.get(index), branchInput, branchScope));
        ArrayNode result = JsonValues.NODES.arrayNode().addAll(results);
        PayloadLimit.requireWithin(result, parallel.name());
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
