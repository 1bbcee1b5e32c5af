package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ChunkResult;

/** Ingests one chunk: {"jobName", "chunk"} in, the chunk's counts out. */
public final class IngestChunkTask extends WorkflowTask {
    public IngestChunkTask() {
        this(Services.fromEnvironment());
    }

    public IngestChunkTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        ChunkResult result = services.workflow.ingest(jobName(input), ChunkJson.read(input.get("chunk")));
        var c = result.counts();
        return Json.MAPPER.createObjectNode().put("index", result.index()).put("added", c.added())
                .put("updated", c.updated()).put("unchanged", c.unchanged()).put("skipped", c.skipped())
                .put("failed", c.failed());
    }
}
