package dev.intake.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.adapters.sfn.StepFunctionsStarter;
import dev.intake.api.Json;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.local.asl.ExecutionAlreadyExistsException;
import dev.intake.local.asl.Executor;
import dev.intake.local.asl.StateMachine;
import dev.intake.workflow.ExecutionEndedTask;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Runs the import state machine in the local executor as StepFunctionsStarter does in AWS: one
 * execution per attempt named {@code <job>.<attempt>}, the same input, and at each execution's end
 * the same "Step Functions Execution Status Change" event, handed to the same handler.
 */
final class LocalWorkflowStarter implements WorkflowStarter {
    /** As StepFunctionsStarter: a subject whose executions keep failing is not started forever. */
    static final int MAX_ATTEMPTS = 50;
    /** Executions of this process by name (a restarted process has none: its jobs start again). */
    private final Map<String, dev.intake.local.asl.Execution> executions = new ConcurrentHashMap<>();
    private volatile Executor executor;
    private volatile StateMachine stateMachine;
    private volatile Consumer<JsonNode> events = event -> { };
    private final java.util.function.UnaryOperator<String> input;

    /** @param input the execution input for a subject (StepFunctionsStarter's jobInput or datasetInput) */
    LocalWorkflowStarter(java.util.function.UnaryOperator<String> input) {
        this.input = input;
    }

    /** The executor needs the services and the services need this starter: connect them afterwards. */
    void connect(Executor executor, StateMachine stateMachine, Consumer<JsonNode> statusChangeEvents) {
        this.executor = executor;
        this.stateMachine = stateMachine;
        this.events = statusChangeEvents;
    }

    /** Sends status-change events to the handler the CDK stack wires to its EventBridge rule. */
    static Consumer<JsonNode> to(ExecutionEndedTask handler) {
        return handler::run;
    }

    @Override
    public synchronized void start(String jobName) {
        if (executor == null) {
            throw new IllegalStateException("the local executor is not running yet");
        }
        Optional<dev.intake.local.asl.Execution> latest = latestExecution(jobName);
        if (latest.isPresent() && latest.get().status() == dev.intake.local.asl.ExecutionStatus.RUNNING) {
            return;
        }
        int attempt = latest.map(e -> WorkflowStarter.attemptOf(e.name()) + 1).orElse(1);
        if (attempt > MAX_ATTEMPTS) {
            throw new IllegalStateException(jobName + " has had " + MAX_ATTEMPTS + " executions already");
        }
        String name = WorkflowStarter.executionName(jobName, attempt);
        try {
            dev.intake.local.asl.Execution execution = executor.start(stateMachine, name, Json.parse(input.apply(jobName)));
            executions.put(name, execution);
            execution.onEnd(this::publish);
        } catch (ExecutionAlreadyExistsException e) {
            // started by another caller
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<WorkflowStarter.Execution> latest(String jobName) {
        return latestExecution(jobName).map(e -> new WorkflowStarter.Execution(e.name(),
                WorkflowStarter.ExecutionStatus.valueOf(e.status().name())));
    }

    /** As StopExecution: the execution ends ABORTED (its end event follows) and what runs in it is cancelled. */
    @Override
    public void stop(String executionName, String cause) {
        dev.intake.local.asl.Execution execution = executions.get(executionName);
        if (execution != null) {
            execution.stop(StepFunctionsStarter.STOPPED_ERROR, cause);
        }
    }

    private Optional<dev.intake.local.asl.Execution> latestExecution(String jobName) {
        dev.intake.local.asl.Execution latest = null;
        for (int attempt = 1; ; attempt++) {
            dev.intake.local.asl.Execution e = executions.get(WorkflowStarter.executionName(jobName, attempt));
            if (e == null) {
                return Optional.ofNullable(latest);
            }
            latest = e;
        }
    }

    /** The job's latest execution in this process. */
    dev.intake.local.asl.Execution execution(String jobName) {
        return latestExecution(jobName).orElse(null);
    }

    /** The event Step Functions sends to EventBridge when an execution ends (the fields Intake reads, and more). */
    private void publish(dev.intake.local.asl.Execution execution) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", ExecutionEndedTask.DETAIL_TYPE);
        event.put("source", "aws.states");
        event.put("account", "000000000000");
        event.put("time", Instant.now().toString());
        event.put("region", "local");
        String arn = "arn:aws:states:local:000000000000:execution:local:" + execution.name();
        event.putArray("resources").add(arn);
        ObjectNode detail = event.putObject("detail");
        detail.put("executionArn", arn);
        detail.put("stateMachineArn", "arn:aws:states:local:000000000000:stateMachine:local");
        detail.put("name", execution.name());
        detail.put("status", execution.status().name());
        detail.put("input", execution.input().toString());
        if (execution.error() != null) {
            detail.put("error", execution.error());
        }
        if (execution.cause() != null) {
            detail.put("cause", execution.cause());
        }
        events.accept(event);
    }
}
