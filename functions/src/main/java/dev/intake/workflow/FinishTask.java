package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;

/** Sums the chunks and ends the job: {"status": "ACTIVE" | "FAILED", "failureReason"?}. */
public final class FinishTask extends WorkflowTask {
    public FinishTask() {
        this(Services.fromEnvironment());
    }

    public FinishTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        ImportJob job = services.workflow.finish(jobName(input), input.path("chunkCount").asInt());
        var out = Json.MAPPER.createObjectNode().put("status", job.status().name());
        if (job.failureReason() != null) {
            out.put("failureReason", job.failureReason());
        }
        return out;
    }
}
