package dev.intake.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Starts and tracks executions of state machines, like the StartExecution API of Step Functions.
 * Executions run on the given pool; Map iterations, Parallel branches and Tasks with TimeoutSeconds run on
 * an internal pool, so a small execution pool cannot deadlock on nested branches.
 */
public final class Executor implements AutoCloseable {
    /** Whitespace, brackets, wildcards, special and control characters are not allowed in execution names. */
    private static final Pattern INVALID_NAME_CHARACTER =
            Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\x00-\\x1F\\x7F-\\x9F]");

    private final FunctionInvoker invoker;
    private final Sleeper sleeper;
    private final ExecutorService executionPool;
    private final boolean ownsExecutionPool;
    private final ExecutorService branchPool = Executors.newCachedThreadPool(daemonThreads("asl-branch"));
    private final java.util.concurrent.ScheduledExecutorService timeouts =
            Executors.newSingleThreadScheduledExecutor(daemonThreads("asl-timeout"));
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Execution> executionsByName = new HashMap<>();
    private final ObjectReader objectReader;

    public Executor(FunctionInvoker invoker, Sleeper sleeper, int threads) {
        this(invoker, sleeper, threads, ObjectReader.NONE);
    }

    /** @param objectReader what Distributed Maps' ItemReaders read S3 objects with */
    public Executor(FunctionInvoker invoker, Sleeper sleeper, int threads, ObjectReader objectReader) {
        this(invoker, sleeper, Executors.newFixedThreadPool(threads, daemonThreads("asl-execution")), true, objectReader);
    }

    /** The caller keeps ownership of {@code executionPool}: {@link #close()} does not shut it down. */
    public Executor(FunctionInvoker invoker, Sleeper sleeper, ExecutorService executionPool) {
        this(invoker, sleeper, executionPool, ObjectReader.NONE);
    }

    /** As above, Distributed Maps' ItemReaders reading S3 objects with {@code objectReader}. */
    public Executor(FunctionInvoker invoker, Sleeper sleeper, ExecutorService executionPool, ObjectReader objectReader) {
        this(invoker, sleeper, executionPool, false, objectReader);
    }

    private Executor(FunctionInvoker invoker, Sleeper sleeper, ExecutorService executionPool, boolean owned,
                     ObjectReader objectReader) {
        this.invoker = invoker;
        this.sleeper = sleeper;
        this.executionPool = executionPool;
        this.ownsExecutionPool = owned;
        this.objectReader = objectReader;
    }

    /**
     * Starts an execution. As with StartExecution, names are unique: the same name with the same input (and
     * state machine) while that execution is still running returns it; any other reuse of a name throws.
     *
     * @param input the execution input; null means {}
     * @throws ExecutionAlreadyExistsException when the name is taken
     * @throws IllegalArgumentException when the name is not a valid execution name
     */
    public Execution start(StateMachine stateMachine, String executionName, JsonNode input) {
        checkName(executionName);
        JsonNode executionInput = input == null ? JsonValues.NODES.objectNode() : input.deepCopy();
        synchronized (executionsByName) {
            Execution existing = executionsByName.get(executionName);
            if (existing != null) {
                if (existing.status() == ExecutionStatus.RUNNING && existing.stateMachine() == stateMachine
                        && existing.inputNode().equals(executionInput)) {
                    return existing;
                }
                throw new ExecutionAlreadyExistsException("Execution Already Exists: '" + executionName + "'");
            }
            Execution execution = new Execution(executionName, executionInput, stateMachine);
            executionsByName.put(executionName, execution);
            Interpreter interpreter = new Interpreter(invoker, sleeper, branchPool, clock,
                    executionContext(executionName, executionInput, clock.instant()), execution::recordStateEntered,
                    objectReader);
            try {
                execution.setRunner(executionPool.submit(() -> execution.run(interpreter)));
            } catch (RejectedExecutionException e) {
                executionsByName.remove(executionName);
                throw e;
            }
            if (stateMachine.timeoutSeconds() > 0) {
                var timeout = timeouts.schedule(execution::timeOut, stateMachine.timeoutSeconds(),
                        java.util.concurrent.TimeUnit.SECONDS);
                execution.onEnd(ended -> timeout.cancel(false));
            }
            return execution;
        }
    }

    /** Runs an execution with a generated name and waits for it to finish. */
    public ExecutionResult run(StateMachine stateMachine, JsonNode input) {
        Execution execution = start(stateMachine, UUID.randomUUID().toString(), input);
        try {
            while (!execution.await(Duration.ofMinutes(1))) {
                // keep waiting: the execution decides when it ends
            }
        } catch (InterruptedException e) {
            execution.stop("Interrupted", "The thread waiting for the execution was interrupted");
            Thread.currentThread().interrupt();
        }
        return execution.result();
    }

    /** Aborts running executions and stops the executor's threads. */
    @Override
    public void close() {
        List<Execution> executions;
        synchronized (executionsByName) {
            executions = List.copyOf(executionsByName.values());
        }
        executions.forEach(e -> e.stop("Executor.Closed", "The local executor was closed"));
        branchPool.shutdownNow();
        timeouts.shutdownNow();
        if (ownsExecutionPool) {
            executionPool.shutdownNow();
        }
    }

    private static JsonNode executionContext(String name, JsonNode input, Instant startTime) {
        ObjectNode execution = JsonValues.NODES.objectNode();
        execution.put("Id", "arn:aws:states:local:000000000000:execution:local:" + name);
        execution.set("Input", input);
        execution.put("Name", name);
        execution.put("StartTime", Interpreter.timestamp(startTime));
        return execution;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 80 || INVALID_NAME_CHARACTER.matcher(name).find()) {
            throw new IllegalArgumentException("Invalid execution name '" + name + "': 1 to 80 characters, without"
                    + " whitespace, brackets, wildcards, special or control characters");
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
