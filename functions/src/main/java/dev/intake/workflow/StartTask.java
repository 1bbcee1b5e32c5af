package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportWorkflow;

/**
 * The execution's first step: {"turn": "GO"} once the job is IN_PROGRESS; "WAIT" when another job
 * of the dataset comes first, "DONE" when the job has ended (the execution then just stops);
 * "COLLECT" with {"until": ISO-8601 instant} for an arrival batch still collecting objects (the
 * execution waits until then and asks again).
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
        String job = jobName(input);
        ImportWorkflow.StartStep step = services.workflow.startStep(job);
        var output = Json.MAPPER.createObjectNode().put("turn", step.turn().name());
        if (step.until() != null) {
            output.put("until", step.until().toString());
        }
        return output;
    }
}
