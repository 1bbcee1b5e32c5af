package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ChunkTask;
import dev.intake.core.PlanCodec;
import java.util.List;

/** Lists the files and cuts them into chunks: {"chunks": [...], "chunkCount": n}. */
public final class PlanTask extends WorkflowTask {
    public PlanTask() {
        this(Services.fromEnvironment());
    }

    public PlanTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        List<ChunkTask> chunks = services.workflow.plan(jobName(input));
        ObjectNode out = Json.MAPPER.createObjectNode();
        var array = out.putArray("chunks");
        chunks.forEach(c -> array.add(PlanCodec.chunk(c)));
        out.put("chunkCount", chunks.size());
        return out;
    }
}
