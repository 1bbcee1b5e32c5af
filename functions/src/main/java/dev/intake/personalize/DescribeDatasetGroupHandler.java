package dev.intake.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;

/** Personalize DescribeDatasetGroup. */
public final class DescribeDatasetGroupHandler extends PersonalizeOperation {
    public DescribeDatasetGroupHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeDatasetGroupHandler(Services services) {
        super(services, "DescribeDatasetGroup");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String name = arns.nameOf(Arns.DATASET_GROUP, text(request, "datasetGroupArn"), "Dataset group");
        var node = Json.MAPPER.createObjectNode();
        node.set("datasetGroup", PersonalizeViews.datasetGroup(personalize().describeGroup(name), arns, true));
        return node;
    }
}
