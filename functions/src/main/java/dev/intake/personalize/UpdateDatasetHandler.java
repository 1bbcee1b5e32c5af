package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize UpdateDataset: a new schema that reads every stored record. */
public final class UpdateDatasetHandler extends PersonalizeOperation {
    public UpdateDatasetHandler() {
        this(Services.fromEnvironment());
    }

    public UpdateDatasetHandler(Services services) {
        super(services, "UpdateDataset");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        DatasetId id = datasetId(text(request, "datasetArn"));
        String schema = arns.nameOf(Arns.SCHEMA, text(request, "schemaArn"), "Schema");
        var updated = personalize().updateDataset(id.group(), id.type(), schema);
        return Json.MAPPER.createObjectNode().put("datasetArn", arns.of(Arns.DATASET, updated.datasetName()));
    }
}
