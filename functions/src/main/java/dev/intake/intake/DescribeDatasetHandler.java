package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Describes a dataset, with its schema and key fields. */
public final class DescribeDatasetHandler extends IntakeOperation {
    public DescribeDatasetHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeDatasetHandler(Services services) {
        super(services, "DescribeDataset");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        var dataset = services.datasets.describe(datasetName(request));
        var node = summary(dataset);
        node.put("schema", dataset.schema());
        var keys = node.putArray("keyFields");
        dataset.keyFields().forEach(keys::add);
        node.put("fullImported", dataset.fullImported());
        var response = Json.MAPPER.createObjectNode();
        response.set("dataset", node);
        return response;
    }
}
