package dev.intake.workflow;

import java.util.List;

/**
 * The state machine's task functions. The CDK stack makes one function each and substitutes its
 * ARN for {@code ${<name>FunctionArn}} in statemachine/import-job.asl.json; the local executor maps
 * the same names to the same classes.
 */
public final class WorkflowTasks {
    /** @param ingest the heavy one: more memory and time than the bookkeeping steps */
    public record Task(String name, String handlerClass, boolean ingest) {
        public String substitutionKey() {
            return name + "FunctionArn";
        }

        public String lambdaHandler() {
            return handlerClass + "::handleRequest";
        }
    }

    public static final List<Task> ALL = List.of(
            new Task("Turn", TurnTask.class.getName(), false),
            new Task("Start", StartTask.class.getName(), false),
            new Task("Plan", PlanTask.class.getName(), true),
            new Task("IngestChunk", IngestChunkTask.class.getName(), true),
            new Task("Finish", FinishTask.class.getName(), false),
            new Task("Fail", FailTask.class.getName(), false));

    private WorkflowTasks() {
    }
}
