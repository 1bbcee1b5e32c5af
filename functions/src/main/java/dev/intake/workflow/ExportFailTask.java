package dev.intake.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportFailedException;
import dev.intake.core.StorageFailedException;
import dev.intake.core.TransientImportException;
import dev.intake.core.export.ExportJob;

/**
 * The export state machine's catch-all: ends the job FAILED with a reason made from the caught
 * error. Only the engine's own errors have messages meant for users; anything else is named, not quoted.
 */
public final class ExportFailTask extends WorkflowTask {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExportFailTask.class);

    public ExportFailTask() {
        this(Services.fromEnvironment());
    }

    public ExportFailTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        String reason = reason(input.path("error").asText(""), input.path("cause").asText(""));
        ExportJob job = services.exportWorkflow.fail(jobName(input), reason);
        return Json.MAPPER.createObjectNode().put("status", job.status().name()).put("failureReason",
                job.failureReason() == null ? reason : job.failureReason());
    }

    static String reason(String error, String cause) {
        String message = lambdaErrorMessage(cause);
        // Step Functions matches error names exactly: each engine error that ends a job is named here.
        if ((error.equals(ImportFailedException.class.getName()) || error.equals(StorageFailedException.class.getName()))
                && message != null) {
            return message;
        }
        if (error.equals(TransientImportException.class.getName()) && message != null) {
            return "The export kept failing after retries: " + message;
        }
        if (error.equals("States.Timeout")) {
            return "An export step timed out";
        }
        LOG.error("export step failed with {}: {}", error, message == null ? cause : message);
        return "The export stopped on an internal error; export again";
    }

    /** The errorMessage of a Lambda error Cause, if the cause is one. */
    private static String lambdaErrorMessage(String cause) {
        try {
            JsonNode node = Json.parse(cause);
            return node.hasNonNull("errorMessage") ? node.get("errorMessage").asText() : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}
