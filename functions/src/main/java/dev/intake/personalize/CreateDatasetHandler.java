package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize CreateDataset: the group's dataset of a type, an Intake dataset keyed as the type says. */
public final class CreateDatasetHandler extends PersonalizeOperation {
    public CreateDatasetHandler() {
        this(Services.fromEnvironment());
    }

    public CreateDatasetHandler(Services services) {
        super(services, "CreateDataset");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String group = arns.nameOf(Arns.DATASET_GROUP, text(request, "datasetGroupArn"), "Dataset group");
        String schema = arns.nameOf(Arns.SCHEMA, text(request, "schemaArn"), "Schema");
        var dataset = personalize().createDataset(text(request, "name"), group, text(request, "datasetType"), schema,
                tags(request));
        return Json.MAPPER.createObjectNode().put("datasetArn", arns.of(Arns.DATASET, dataset.datasetName()));
    }
}
