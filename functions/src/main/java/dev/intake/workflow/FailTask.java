package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportFailedException;
import dev.intake.core.ImportJob;
import dev.intake.core.JobNotRunningException;
import dev.intake.core.StorageFailedException;

/**
 * The state machine's catch-all: ends the job as FAILED with a reason made from the caught error.
 * Only the engine's own errors have messages meant for users; anything else is named, not quoted.
 */
public final class FailTask extends WorkflowTask {
    private static final FailureReasons REASONS = new FailureReasons("import", java.util.Set.of(
            ImportFailedException.class.getName(), JobNotRunningException.class.getName(),
            StorageFailedException.class.getName()), "The import stopped on an internal error; it can be started again");

    public FailTask() {
        this(Services.fromEnvironment());
    }

    public FailTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        String reason = reason(input.path("error").asText(""), input.path("cause").asText(""));
        ImportJob job = services.workflow.fail(jobName(input), reason);
        return Json.MAPPER.createObjectNode().put("status", job.status().name()).put("failureReason",
                job.failureReason() == null ? reason : job.failureReason());
    }

    static String reason(String error, String cause) {
        return REASONS.reason(error, cause);
    }
}
