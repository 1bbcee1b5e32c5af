package dev.intake.workflow;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import dev.intake.app.JobLogging;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * A Task state's function: JSON payload in, JSON out. Exceptions propagate so Step Functions sees
 * their class name as the error (ImportFailedException is final, TransientImportException is
 * retried; see statemachine/import-job.asl.json).
 */
public abstract class WorkflowTask implements RequestStreamHandler {
    protected final Services services;

    protected WorkflowTask(Services services) {
        this.services = services;
    }

    public abstract JsonNode run(JsonNode input);

    /**
     * Runs the task with its job's name in the logging context (JobLogging: on every line logged
     * meanwhile on this thread), taken out again after, also when the task fails.
     */
    public final JsonNode invoke(JsonNode input) {
        JsonNode name = input.get("jobName"); // the scheduled tasks are about no one job
        return JobLogging.about(name != null && name.isTextual() ? name.asText() : null, () -> run(input));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode request = Json.MAPPER.readTree(input);
        JsonNode result = context == null ? invoke(request) : PowertoolsLogging.withLogging(context, () -> invoke(request));
        try {
            Json.MAPPER.writeValue(output, result);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    protected static String jobName(JsonNode input) {
        JsonNode name = input.get("jobName");
        if (name == null || !name.isTextual()) {
            throw new IllegalArgumentException("task input has no jobName");
        }
        return name.asText();
    }
}
