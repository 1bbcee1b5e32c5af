package dev.intake.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.adapters.sfn.StepFunctionsStarter;
import dev.intake.api.Json;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.local.asl.Execution;
import dev.intake.local.asl.ExecutionAlreadyExistsException;
import dev.intake.local.asl.Executor;
import dev.intake.local.asl.StateMachine;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Starts the import state machine in the local executor, with the same input as in AWS. */
final class LocalWorkflowStarter implements WorkflowStarter {
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private volatile Executor executor;
    private volatile StateMachine stateMachine;

    /** The executor needs the services and the services need this starter: connect them afterwards. */
    void connect(Executor executor, StateMachine stateMachine) {
        this.executor = executor;
        this.stateMachine = stateMachine;
    }

    @Override
    public void start(String jobName) {
        if (executor == null) {
            throw new IllegalStateException("the local executor is not running yet");
        }
        try {
            JsonNode input = Json.parse(StepFunctionsStarter.input(jobName));
            executions.put(jobName, executor.start(stateMachine, jobName, input));
        } catch (ExecutionAlreadyExistsException e) {
            // one execution per job
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    Execution execution(String jobName) {
        return executions.get(jobName);
    }
}
