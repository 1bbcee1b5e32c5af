package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/**
 * The execution's first step: {"turn": "GO"} once the job is IN_PROGRESS; "WAIT" when another job
 * of the dataset comes first, "DONE" when the job has ended (the execution then just stops).
 */
public final class StartTask extends WorkflowTask {
    public StartTask() {
        this(Services.fromEnvironment());
    }

    public StartTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        return Json.MAPPER.createObjectNode().put("turn", services.workflow.begin(jobName(input)).name());
    }
}
