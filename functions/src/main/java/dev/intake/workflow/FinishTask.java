package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;
import java.util.ArrayList;
import java.util.List;

/**
 * Sums the chunks and ends the job: {"jobName", "chunkCount", "recount"?} in (recount: the chunks
 * Reconcile chose), {"status": "ACTIVE" | "FAILED", "failureReason"?} out.
 */
public final class FinishTask extends WorkflowTask {
    public FinishTask() {
        this(Services.fromEnvironment());
    }

    public FinishTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        List<Integer> recount = new ArrayList<>();
        input.path("recount").forEach(index -> recount.add(index.asInt()));
        ImportJob job = services.workflow.finish(jobName(input), input.path("chunkCount").asInt(), recount);
        var out = Json.MAPPER.createObjectNode().put("status", job.status().name());
        if (job.failureReason() != null) {
            out.put("failureReason", job.failureReason());
        }
        return out;
    }
}
