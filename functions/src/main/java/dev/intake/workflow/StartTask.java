package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Moves the job to IN_PROGRESS. */
public final class StartTask extends WorkflowTask {
    public StartTask() {
        this(Services.fromEnvironment());
    }

    public StartTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        services.workflow.start(jobName(input));
        return Json.MAPPER.createObjectNode().put("status", "IN_PROGRESS");
    }
}
