package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;
import java.util.ArrayList;
import java.util.List;

/**
 * Sums the chunks and ends the job: {"jobName", "chunkCount", "recountCount"?} in (recountCount: how
 * many chunks Reconcile chose for a second pass; an execution started before manifests may still send
 * "recount", the list of them), {"status": "ACTIVE" | "FAILED", "failureReason"?} out.
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
        int chunkCount = input.path("chunkCount").asInt();
        ImportJob job;
        if (input.has("recountCount")) {
            job = services.workflow.finishAfterRecount(jobName(input), chunkCount, input.get("recountCount").asInt());
        } else {
            List<Integer> recount = new ArrayList<>();
            input.path("recount").forEach(index -> recount.add(index.asInt()));
            job = services.workflow.finish(jobName(input), chunkCount, recount);
        }
        var out = Json.MAPPER.createObjectNode().put("status", job.status().name());
        if (job.failureReason() != null) {
            out.put("failureReason", job.failureReason());
        }
        return out;
    }
}
