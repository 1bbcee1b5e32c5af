package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** The export's last step: the job ACTIVE, every part written. */
public final class ExportFinishTask extends WorkflowTask {
    public ExportFinishTask() {
        this(Services.fromEnvironment());
    }

    public ExportFinishTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        return Json.MAPPER.createObjectNode().put("status", services.exportWorkflow.finish(jobName(input)).status().name());
    }
}
