package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ChunkManifest;

/**
 * After the first pass over every chunk: {"jobName", "chunkCount"} in, {"recountCount": n,
 * "manifest"?: {"bucket", "key"}} out: how many chunks to ingest again in pass 2 (see
 * ImportWorkflow.reconcile; usually none) and, when there are any, the manifest listing them for the
 * Recount Distributed Map. Like the first pass's, the list can be as long as the import's.
 */
public final class ReconcileTask extends WorkflowTask {
    public ReconcileTask() {
        this(Services.fromEnvironment());
    }

    public ReconcileTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        ChunkManifest manifest = services.workflow.reconcileManifest(jobName(input), input.path("chunkCount").asInt());
        ObjectNode out = Json.MAPPER.createObjectNode().put("recountCount", manifest.chunks());
        if (manifest.key() != null) {
            out.set("manifest", PlanTask.location(manifest));
        }
        return out;
    }
}
