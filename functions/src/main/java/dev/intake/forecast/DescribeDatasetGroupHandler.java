package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.ForecastStore.Kind;

/** Forecast DescribeDatasetGroup. */
public final class DescribeDatasetGroupHandler extends ForecastOperation {
    public DescribeDatasetGroupHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeDatasetGroupHandler(Services services) {
        super(services, "DescribeDatasetGroup");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String name = arns.datasetGroupName(text(request, "DatasetGroupArn"));
        var entry = store().find(Kind.DATASET_GROUP, name)
                .orElseThrow(() -> IntakeException.notFound("Dataset group '" + name + "' does not exist"));
        var group = DatasetGroups.parse(entry.document());
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("DatasetGroupName", name);
        node.put("DatasetGroupArn", arns.datasetGroup(name));
        group.datasetArns().forEach(node.putArray("DatasetArns")::add);
        node.put("Domain", group.domain());
        node.put("Status", "ACTIVE"); // created and updated synchronously: never PENDING or IN_PROGRESS
        node.put("CreationTime", Json.epochSeconds(entry.createdAt()));
        node.put("LastModificationTime", Json.epochSeconds(entry.updatedAt()));
        return node;
    }
}
