package dev.intake.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** One run of a state machine, started by {@link Executor#start}. */
public final class Execution {
    private final String name;
    private final JsonNode input;
    private final StateMachine stateMachine;
    private final Scope scope = Scope.root();
    private final List<String> history = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<java.util.function.Consumer<Execution>> endListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Future<?> runner;

    private ExecutionStatus status = ExecutionStatus.RUNNING;
    private JsonNode output;
    private String error;
    private String cause;

    Execution(String name, JsonNode input, StateMachine stateMachine) {
        this.name = name;
        this.input = input;
        this.stateMachine = stateMachine;
    }

    public String name() {
        return name;
    }

    public JsonNode input() {
        return input.deepCopy();
    }

    public synchronized ExecutionStatus status() {
        return status;
    }

    /** The output once SUCCEEDED, else null. */
    public synchronized JsonNode output() {
        return output == null ? null : output.deepCopy();
    }

    public synchronized String error() {
        return error;
    }

    public synchronized String cause() {
        return cause;
    }

    /** Names of the states entered so far, in order; states of concurrent branches interleave. */
    public List<String> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** @return true when the execution has finished, false when the timeout elapsed first */
    public boolean await(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public synchronized ExecutionResult result() {
        return new ExecutionResult(name, status, output(), error, cause, history());
    }

    /** Like StopExecution: a running execution becomes ABORTED and whatever runs inside it is cancelled. */
    public void stop(String error, String cause) {
        if (complete(ExecutionStatus.ABORTED, null, error, cause)) {
            scope.cancel();
            Future<?> running = runner;
            if (running != null) {
                running.cancel(true);
            }
        }
    }

    /** Like StopExecution, but as the definition's TimeoutSeconds ends it: TIMED_OUT. */
    void timeOut() {
        if (complete(ExecutionStatus.TIMED_OUT, null, "States.Timeout", "The execution ran longer than its TimeoutSeconds")) {
            scope.cancel();
            Future<?> running = runner;
            if (running != null) {
                running.cancel(true);
            }
        }
    }

    /** Runs once the execution has ended (at once if it has), like a status-change event. */
    public void onEnd(java.util.function.Consumer<Execution> listener) {
        endListeners.add(listener);
        if (status() != ExecutionStatus.RUNNING && endListeners.remove(listener)) {
            listener.accept(this);
        }
    }

    StateMachine stateMachine() {
        return stateMachine;
    }

    JsonNode inputNode() {
        return input;
    }

    void recordStateEntered(String stateName) {
        history.add(stateName);
    }

    void setRunner(Future<?> runner) {
        this.runner = runner;
    }

    void run(Interpreter interpreter) {
        try {
            complete(ExecutionStatus.SUCCEEDED, interpreter.run(stateMachine.graph(), input, scope), null, null);
        } catch (StateFailure failure) {
            complete(ExecutionStatus.FAILED, null, failure.error(), failure.cause());
        } catch (ExecutionCancelledException cancelled) {
            complete(ExecutionStatus.ABORTED, null, null, null); // normally stop() has already recorded it
        } catch (Throwable unexpected) {
            complete(ExecutionStatus.FAILED, null, ErrorNames.RUNTIME, "Internal error in the local executor: " + unexpected);
        }
    }

    /** Records the outcome once; later outcomes (a runner finishing after stop) are ignored. */
    private boolean complete(ExecutionStatus newStatus, JsonNode newOutput, String newError, String newCause) {
        synchronized (this) {
            if (status != ExecutionStatus.RUNNING) {
                return false;
            }
            status = newStatus;
            output = newOutput;
            error = newError;
            cause = newCause;
        }
        // Listeners first, then waiters: whoever awaits the end sees what the end event did.
        for (var listener : endListeners) {
            if (endListeners.remove(listener)) {
                try {
                    listener.accept(this);
                } catch (RuntimeException e) {
                    java.util.logging.Logger.getLogger(Execution.class.getName()).log(java.util.logging.Level.WARNING,
                            "an end listener of execution " + name + " failed", e);
                }
            }
        }
        finished.countDown();
        return true;
    }
}
