package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ports.ForecastStore.Kind;
import java.time.Instant;

/** Forecast CreateDatasetGroup: a group of one domain's datasets (at most one of each type); ACTIVE at once. */
public final class CreateDatasetGroupHandler extends ForecastOperation {
    public CreateDatasetGroupHandler() {
        this(Services.fromEnvironment());
    }

    public CreateDatasetGroupHandler(Services services) {
        super(services, "CreateDatasetGroup");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String name = text(request, "DatasetGroupName");
        String domain = text(request, "Domain");
        var tags = tags(request);
        var datasetArns = DatasetGroups.check(request.path("DatasetArns"), domain, arns, services.datasets);
        store().create(Kind.DATASET_GROUP, name, new DatasetGroups(domain, datasetArns, tags).document(), Instant.now());
        return Json.MAPPER.createObjectNode().put("DatasetGroupArn", arns.datasetGroup(name));
    }
}
