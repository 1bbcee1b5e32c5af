package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ChunkResult;
import dev.intake.core.PlanCodec;

/** Ingests one chunk: {"jobName", "chunk", "pass"?} in (pass 1 unless 2), the chunk's counts out. */
public final class IngestChunkTask extends WorkflowTask {
    public IngestChunkTask() {
        this(Services.fromEnvironment());
    }

    public IngestChunkTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        int pass = input.path("pass").asInt(1);
        if (pass != 1 && pass != 2) {
            throw new IllegalArgumentException("pass is 1 or 2");
        }
        ChunkResult result = services.workflow.ingest(jobName(input), PlanCodec.chunk(input.get("chunk")), pass);
        var c = result.counts();
        return Json.MAPPER.createObjectNode().put("index", result.index()).put("pass", result.pass()).put("added", c.added())
                .put("updated", c.updated()).put("unchanged", c.unchanged()).put("skipped", c.skipped())
                .put("failed", c.failed());
    }
}
