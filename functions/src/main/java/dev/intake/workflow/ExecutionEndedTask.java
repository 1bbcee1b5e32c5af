package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ports.WorkflowStarter.ExecutionStatus;

/**
 * Receives Step Functions' "Step Functions Execution Status Change" events for the import,
 * deletion and export state machines (the local executor sends the same JSON), told apart by their
 * input: an import execution that ended without ending its job fails the job, and every import's end
 * starts the dataset's next job and the deletion of what it retired; a deletion's end starts the next
 * deletion step if more is left; an export execution that ended without ending its job (stopped,
 * timed out) fails that job, which would otherwise stay in progress for good.
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
        JsonNode input = input(detail.path("input").asText(""));
        String deletedDataset = input.path("dataset").isTextual() ? input.get("dataset").asText() : null;
        String exportJob = input.path("exportJobName").isTextual() ? input.get("exportJobName").asText() : null;
        if (exportJob != null) {
            if (services.exportWorkflow != null) {
                services.exportWorkflow.executionEnded(exportJob, status, error);
            }
        } else if (deletedDataset != null) {
            // A deletion execution ended: go on if there is more (it stopped early, or more was retired).
            services.datasets.continueDeletion(deletedDataset);
        } else {
            // An import execution ended: its job hands the dataset on; what it retired is deleted next.
            services.workflow.executionEnded(name, ExecutionStatus.valueOf(status), error)
                    .ifPresent(services.datasets::continueDeletion);
        }
        return Json.MAPPER.createObjectNode().put("execution", name).put("status", status);
    }

    /**
     * An execution's input: {"jobName": name} for an import, {"dataset": name} for a deletion,
     * {"exportJobName": name} for an export; an empty object if it is none of these.
     */
    private static JsonNode input(String input) {
        try {
            JsonNode node = Json.parse(input);
            return node == null ? Json.MAPPER.createObjectNode() : node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static boolean ended(String status) {
        return switch (status) {
            case "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED" -> true;
            default -> false; // RUNNING, PENDING_REDRIVE: not an end
        };
    }
}
