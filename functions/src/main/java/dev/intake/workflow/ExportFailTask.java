package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportFailedException;
import dev.intake.core.StorageFailedException;
import dev.intake.core.export.ExportJob;

/**
 * The export state machine's catch-all: ends the job FAILED with a reason made from the caught
 * error. Only the engine's own errors have messages meant for users; anything else is named, not quoted.
 */
public final class ExportFailTask extends WorkflowTask {
    private static final FailureReasons REASONS = new FailureReasons("export", java.util.Set.of(
            ImportFailedException.class.getName(), StorageFailedException.class.getName()),
            "The export stopped on an internal error; export again");

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
        return REASONS.reason(error, cause);
    }
}
