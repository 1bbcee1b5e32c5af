package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/**
 * The deletion state machine's step: deletes a bounded number of a dataset's records (retired
 * generations; all of them, then the dataset, when it is being deleted). {"done": true} when
 * nothing is left; the state machine loops until then.
 */
public final class DeleteRecordsTask extends WorkflowTask {
    public DeleteRecordsTask() {
        this(Services.fromEnvironment());
    }

    public DeleteRecordsTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        JsonNode dataset = input.get("dataset");
        if (dataset == null || !dataset.isTextual()) {
            throw new IllegalArgumentException("task input has no dataset");
        }
        return Json.MAPPER.createObjectNode().put("done", services.datasets.deleteSome(dataset.asText()));
    }
}
