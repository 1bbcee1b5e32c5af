package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ports.WorkflowStarter.ExecutionStatus;

/**
 * Receives Step Functions' "Step Functions Execution Status Change" events for the import and
 * deletion state machines (the local executor sends the same JSON): an import execution that ended
 * without ending its job fails the job, and every import's end starts the dataset's next job and
 * the deletion of what it retired; a deletion's end starts the next deletion step if more is left.
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
        String deletedDataset = deletionInput(detail.path("input").asText(""));
        if (deletedDataset != null) {
            // A deletion execution ended: go on if there is more (it stopped early, or more was retired).
            services.datasets.continueDeletion(deletedDataset);
        } else {
            // An import execution ended: its job hands the dataset on; what it retired is deleted next.
            services.workflow.executionEnded(name, ExecutionStatus.valueOf(status), error)
                    .ifPresent(services.datasets::continueDeletion);
        }
        return Json.MAPPER.createObjectNode().put("execution", name).put("status", status);
    }

    /** The dataset of a deletion execution's input ({"dataset": name}); null for an import's ({"jobName": name}). */
    private static String deletionInput(String input) {
        try {
            JsonNode node = Json.parse(input);
            return node.path("dataset").isTextual() ? node.get("dataset").asText() : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private static boolean ended(String status) {
        return switch (status) {
            case "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED" -> true;
            default -> false; // RUNNING, PENDING_REDRIVE: not an end
        };
    }
}
