package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.export.ExportWorkflow;

/**
 * Writes one part file of an export: input {"jobName", "part", "cursor"} (cursor null for the
 * first), output the next {"part", "cursor"} and whether the export is {"done"}.
 */
public final class ExportPartTask extends WorkflowTask {
    public ExportPartTask() {
        this(Services.fromEnvironment());
    }

    public ExportPartTask(Services services) {
        super(services);
    }

    @Override
    public JsonNode run(JsonNode input) {
        JsonNode cursor = input.get("cursor");
        ExportWorkflow.Step next = services.exportWorkflow.exportPart(jobName(input), input.path("part").asInt(0),
                cursor == null || cursor.isNull() ? null : cursor.asText());
        var output = Json.MAPPER.createObjectNode().put("part", next.part()).put("done", next.done());
        if (next.cursor() == null) {
            output.putNull("cursor");
        } else {
            output.put("cursor", next.cursor());
        }
        return output;
    }
}
