package dev.intake.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;
import dev.intake.local.asl.FunctionError;
import dev.intake.local.asl.FunctionInvoker;
import dev.intake.workflow.WorkflowTask;
import dev.intake.workflow.WorkflowTasks;
import java.util.HashMap;
import java.util.Map;

/**
 * The state machine's Lambda functions, in process: the function name the ASL file holds after
 * substitution is the task's name, and an exception becomes the error Lambda would report (its
 * class name as errorType).
 */
final class LocalFunctions implements FunctionInvoker {
    private final Map<String, WorkflowTask> tasks = new HashMap<>();

    LocalFunctions(Services services) {
        for (WorkflowTasks.Task task : tasks()) {
            try {
                tasks.put(task.name(), (WorkflowTask) Class.forName(task.handlerClass())
                        .getConstructor(Services.class).newInstance(services));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("task " + task.name() + " has no usable handler", e);
            }
        }
    }

    /** The tasks of the state machines: the import's, the deletion's one, and the export's. */
    private static java.util.List<WorkflowTasks.Task> tasks() {
        java.util.List<WorkflowTasks.Task> all = new java.util.ArrayList<>(WorkflowTasks.ALL);
        all.add(WorkflowTasks.DELETE_RECORDS);
        all.addAll(WorkflowTasks.EXPORT);
        return all;
    }

    /** How many chunks an import ingests at once locally (the Distributed Maps' MaxConcurrency). */
    static final int INGEST_CONCURRENCY = 4;
    /** The placeholder of the Distributed Maps' MaxConcurrency; the CDK stack sets it from its context. */
    public static final String INGEST_CONCURRENCY_KEY = "IngestConcurrency";

    /** Definition substitutions for the local run: each task's ARN placeholder becomes its name. */
    static Map<String, String> substitutions() {
        return substitutions(INGEST_CONCURRENCY);
    }

    /** As above, the Distributed Maps running up to {@code ingestConcurrency} chunks at once. */
    static Map<String, String> substitutions(int ingestConcurrency) {
        Map<String, String> substitutions = new HashMap<>();
        tasks().forEach(t -> substitutions.put(t.substitutionKey(), t.name()));
        substitutions.put(INGEST_CONCURRENCY_KEY, Integer.toString(ingestConcurrency));
        return substitutions;
    }

    /** The Distributed Maps' ItemReader: objects of the local S3 endpoint, through the runtime's client. */
    static dev.intake.local.asl.ObjectReader objectReader(software.amazon.awssdk.services.s3.S3Client s3) {
        return (bucket, key) -> s3.getObject(r -> r.bucket(bucket).key(key));
    }

    @Override
    public JsonNode invoke(String functionName, JsonNode payload) throws FunctionError {
        WorkflowTask task = tasks.get(functionName);
        if (task == null) {
            throw new FunctionError("Lambda.ResourceNotFoundException", "Function not found: " + functionName);
        }
        try {
            return task.invoke(payload.deepCopy());
        } catch (RuntimeException e) {
            throw new FunctionError(e.getClass().getName(), e.getMessage() == null ? "" : e.getMessage(), e);
        }
    }
}
