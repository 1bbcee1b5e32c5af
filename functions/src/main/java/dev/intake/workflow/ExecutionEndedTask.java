package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ports.WorkflowStarter.ExecutionStatus;

/**
 * Receives Step Functions' "Step Functions Execution Status Change" events for the import state
 * machine (the local executor sends the same JSON): an execution that ended without ending its job
 * fails the job, and every end starts the dataset's next job.
 */
public final class ExecutionEndedTask extends WorkflowTask {
    public static final String DETAIL_TYPE = "Step Functions Execution Status Change";

    public ExecutionEndedTask() {
        this(Services.fromEnvironment());
    }

    public ExecutionEndedTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode event) {
        JsonNode detail = event.path("detail");
        String name = detail.path("name").asText("");
        String status = detail.path("status").asText("");
        if (!DETAIL_TYPE.equals(event.path("detail-type").asText()) || name.isEmpty() || !ended(status)) {
            return Json.MAPPER.createObjectNode().put("ignored", true);
        }
        String error = detail.path("error").isTextual() ? detail.get("error").asText() : null;
        services.workflow.executionEnded(name, ExecutionStatus.valueOf(status), error);
        return Json.MAPPER.createObjectNode().put("execution", name).put("status", status);
    }

    private static boolean ended(String status) {
        return switch (status) {
            case "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED" -> true;
            default -> false; // RUNNING, PENDING_REDRIVE: not an end
        };
    }
}
