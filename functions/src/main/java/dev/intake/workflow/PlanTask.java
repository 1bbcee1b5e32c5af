package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ChunkManifest;

/**
 * Lists the files, cuts them into chunks and writes them as the manifest the Ingest Distributed Map
 * reads: {"jobName"} in, {"chunkCount": n, "manifest": {"bucket", "key"}} out. The chunks themselves
 * never enter the state machine's payload, whatever their number.
 */
public final class PlanTask extends WorkflowTask {
    public PlanTask() {
        this(Services.fromEnvironment());
    }

    public PlanTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        ChunkManifest manifest = services.workflow.planManifest(jobName(input));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("chunkCount", manifest.chunks());
        out.set("manifest", location(manifest));
        return out;
    }

    /** {"bucket", "key"} of a manifest, as the Distributed Map's ItemReader takes them. */
    static ObjectNode location(ChunkManifest manifest) {
        return Json.MAPPER.createObjectNode().put("bucket", manifest.bucket()).put("key", manifest.key());
    }
}
