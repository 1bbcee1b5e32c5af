package dev.intake.workflow;

import java.util.List;

/**
 * The state machine's task functions. The CDK stack makes one function each and substitutes its
 * ARN for {@code ${<name>FunctionArn}} in statemachine/import-job.asl.json; the local executor maps
 * the same names to the same classes.
 */
public final class WorkflowTasks {
    /**
     * @param readsSource reads the import's source data (as Intake or as the job's roleArn)
     * @param longRunning gets more memory and time than the bookkeeping steps
     */
    public record Task(String name, String handlerClass, boolean readsSource, boolean longRunning) {
        public String substitutionKey() {
            return name + "FunctionArn";
        }

        public String lambdaHandler() {
            return handlerClass + "::handleRequest";
        }
    }

    public static final List<Task> ALL = List.of(
            new Task("Start", StartTask.class.getName(), false, false),
            new Task("Plan", PlanTask.class.getName(), true, true),
            new Task("IngestChunk", IngestChunkTask.class.getName(), true, true),
            // Merges every chunk's key hashes: no source data, but as long as an import is large.
            new Task("Reconcile", ReconcileTask.class.getName(), false, true),
            new Task("Finish", FinishTask.class.getName(), false, false),
            new Task("Fail", FailTask.class.getName(), false, false));

    /**
     * Not a step of the state machine: receives its executions' status-change events (an
     * EventBridge rule in AWS, the local executor locally).
     */
    public static final Task EXECUTION_ENDED = new Task("ExecutionEnded", ExecutionEndedTask.class.getName(), false, false);

    private WorkflowTasks() {
    }
}
