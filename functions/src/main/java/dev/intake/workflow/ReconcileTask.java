package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/**
 * After the first pass over every chunk: {"jobName", "chunkCount"} in, {"recount": [chunk index...]}
 * out, the chunks to ingest again in pass 2 (see ImportWorkflow.reconcile); usually none.
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
        ArrayNode recount = Json.MAPPER.createArrayNode();
        services.workflow.reconcile(jobName(input), input.path("chunkCount").asInt()).forEach(recount::add);
        return Json.MAPPER.createObjectNode().set("recount", recount);
    }
}
