package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Is it this job's turn on its dataset? {"turn": "GO" | "WAIT" | "DONE"}. */
public final class TurnTask extends WorkflowTask {
    public TurnTask() {
        this(Services.fromEnvironment());
    }

    public TurnTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        return Json.MAPPER.createObjectNode().put("turn", services.workflow.turn(jobName(input)).name());
    }
}
