package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize DescribeDataset. */
public final class DescribeDatasetHandler extends PersonalizeOperation {
    public DescribeDatasetHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeDatasetHandler(Services services) {
        super(services, "DescribeDataset");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        DatasetId id = datasetId(text(request, "datasetArn"));
        var node = Json.MAPPER.createObjectNode();
        node.set("dataset", PersonalizeViews.dataset(personalize().describeDataset(id.group(), id.type()), arns, true));
        return node;
    }
}
