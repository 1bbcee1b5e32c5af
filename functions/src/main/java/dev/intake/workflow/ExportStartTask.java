package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/**
 * The export's first step: the job IN_PROGRESS, reading the dataset's current generation.
 * {"go": false} when the job has ended already (the execution then just stops).
 */
public final class ExportStartTask extends WorkflowTask {
    public ExportStartTask() {
        this(Services.fromEnvironment());
    }

    public ExportStartTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        return Json.MAPPER.createObjectNode().put("go", services.exportWorkflow.start(jobName(input)));
    }
}
