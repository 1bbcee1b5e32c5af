package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;
import java.util.ArrayList;
import java.util.List;

/** Creates a dataset: a name, an Avro record schema and the key field(s). */
public final class CreateDatasetHandler extends IntakeOperation {
    public CreateDatasetHandler() {
        this(Services.fromEnvironment());
    }

    public CreateDatasetHandler(Services services) {
        super(services, "CreateDataset");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        List<String> keyFields = new ArrayList<>();
        request.get("keyFields").forEach(k -> keyFields.add(k.asText()));
        var dataset = services.datasets.create(text(request, "name"), text(request, "schema"), keyFields);
        return Json.MAPPER.createObjectNode().put("datasetArn", arns.of(Arns.DATASET, dataset.name()));
    }
}
